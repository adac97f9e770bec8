import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SANDBOX_OPTIONS, SandboxOptions } from '../sandbox-options';
import { WORLD_STATE_VERSION, WorldState } from './world-state';
import { WorldStore } from './world.store';

/** A save follows a request this soon, however many requests come in between. */
const SAVE_DELAY_MS = 200;
/** Catches changes no request made (none today; cheap insurance, since unchanged worlds are not written). */
const BACKSTOP_INTERVAL_MS = 5_000;

/**
 * Keeps the world in `stateFile` when one is configured (`npm start` does), so the tokens and ids
 * the API stored stay valid across restarts: loaded at start, written after changes and on
 * shutdown. Without a state file it does nothing and the world lives in memory only.
 */
@Injectable()
export class WorldPersistence implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorldPersistence');
  private lastWritten?: string;
  private pendingSave?: NodeJS.Timeout;
  private backstop?: NodeJS.Timeout;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: SandboxOptions,
    private readonly world: WorldStore,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  private get file(): string | undefined {
    return this.options.stateFile;
  }

  onModuleInit(): void {
    if (!this.file) return;
    this.load(this.file);
    this.save();
  }

  onApplicationBootstrap(): void {
    if (!this.file) return;
    // Every change to the world arrives as an HTTP request; whatever route served it, a save follows.
    const server = this.adapterHost?.httpAdapter?.getHttpServer() as import('node:http').Server | undefined;
    server?.on('request', (_request, response) => response.once('finish', () => this.saveSoon()));
    this.backstop = setInterval(() => this.save(), BACKSTOP_INTERVAL_MS);
    this.backstop.unref();
  }

  onApplicationShutdown(): void {
    if (!this.file) return;
    clearTimeout(this.pendingSave);
    clearInterval(this.backstop);
    this.save();
  }

  /** Writes the world when it differs from what was last written; returns whether it wrote. */
  save(): boolean {
    if (!this.file) return false;
    const text = JSON.stringify(this.world.exportState());
    if (text === this.lastWritten) return false;
    try {
      writeAtomically(this.file, text);
      this.lastWritten = text;
      return true;
    } catch (error) {
      this.logger.error(`Could not save the world to ${this.file}: ${(error as Error).message}`);
      return false;
    }
  }

  private saveSoon(): void {
    if (this.pendingSave) return;
    this.pendingSave = setTimeout(() => {
      this.pendingSave = undefined;
      this.save();
    }, SAVE_DELAY_MS);
    this.pendingSave.unref();
  }

  private load(file: string): void {
    if (!existsSync(file)) {
      this.logger.log(`No saved world at ${file} yet; starting from the demo world`);
      return;
    }
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as WorldState;
      if (state.version !== WORLD_STATE_VERSION) throw new Error(`version ${state.version}, expected ${WORLD_STATE_VERSION}`);
      this.world.importState(state);
      this.logger.log(`Loaded the world from ${file}: ${state.businesses.length} businesses, ${state.tokens.length} tokens`);
    } catch (error) {
      // Never overwrite what could not be read: keep it next to the new file for a person to look at.
      const kept = `${file}.unreadable-${Date.now()}`;
      renameSync(file, kept);
      this.logger.warn(`Could not read the saved world (${(error as Error).message}); kept it as ${kept} and started from the demo world`);
    }
  }
}

/** Temp file in the same folder, flushed to disk, then renamed over the old one: never half a file. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
