/**
 * `npm run reset`: deletes what `npm start` keeps in the data folder (database, Redis, the
 * sandbox's world, the token-encryption key), so the next start begins empty. Refuses while an
 * `npm start` runs on the folder.
 */
import { dataFolder, resetDataFolder } from './launcher/data-folder';
import { runningLauncher } from './launcher/runtime-file';

function main(): number {
  const folder = dataFolder();
  const running = runningLauncher(folder);
  if (running) {
    console.error(`npm start is running on ${folder.root} (pid ${running.pid}); stop it (Ctrl+C) before resetting.`);
    return 1;
  }
  // An external database keeps its data, and its stored credentials still need the key.
  const keepKey = Boolean(process.env['MONGODB_URI']);
  const deleted = resetDataFolder(folder, { keepKey });
  console.log(`reset: deleted ${deleted.length ? deleted.join(', ') : 'nothing (already empty)'} in ${folder.root}; the next npm start begins empty.`);
  if (keepKey) console.log('reset: kept the token-encryption key, since MONGODB_URI names a database this does not empty.');
  return 0;
}

process.exitCode = main();
