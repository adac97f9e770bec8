// Graph API versions and how long Meta keeps each one (Meta's changelog, "Available Graph API
// versions": docs/meta.md §0). A version works until its date; after that Meta answers its
// calls as the oldest version still available, so payloads change under the app without an error.
// Update this table when Meta publishes a new version or an end date.

export interface GraphVersionLifetime {
  version: string;
  /** ISO dates. */
  releasedOn: string;
  /** Null while Meta says "TBD". */
  availableUntil: string | null;
}

export const GRAPH_API_VERSIONS: readonly GraphVersionLifetime[] = [
  { version: 'v27.0', releasedOn: '2026-11-04', availableUntil: null },
  { version: 'v26.0', releasedOn: '2026-07-29', availableUntil: null },
  { version: 'v25.0', releasedOn: '2026-02-18', availableUntil: '2028-07-29' },
  { version: 'v24.0', releasedOn: '2025-10-08', availableUntil: '2028-02-18' },
  { version: 'v23.0', releasedOn: '2025-05-29', availableUntil: '2027-10-08' },
  { version: 'v22.0', releasedOn: '2025-01-21', availableUntil: '2027-05-20' },
  { version: 'v21.0', releasedOn: '2024-10-02', availableUntil: '2027-01-21' },
  { version: 'v20.0', releasedOn: '2024-05-21', availableUntil: '2026-09-24' },
  { version: 'v19.0', releasedOn: '2024-01-23', availableUntil: '2026-05-21' },
  { version: 'v18.0', releasedOn: '2023-09-12', availableUntil: '2026-01-26' },
  { version: 'v17.0', releasedOn: '2023-05-23', availableUntil: '2025-09-12' },
];

/** Operators are warned this long before the configured version stops working. */
export const GRAPH_VERSION_WARNING_DAYS = 90;

export type GraphVersionState = 'supported' | 'ending_soon' | 'ended' | 'unknown';

export interface GraphVersionStatus {
  version: string;
  state: GraphVersionState;
  availableUntil: string | null;
  /** Whole days until `availableUntil` (negative once ended); null when there is no end date. */
  daysLeft: number | null;
  /** The newest version in the table, to upgrade to. */
  latest: string;
  /** One sentence for an operator. */
  message: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Where the configured version stands on `now`. */
export function graphVersionStatus(version: string, now: Date): GraphVersionStatus {
  const latest = GRAPH_API_VERSIONS[0].version;
  const known = GRAPH_API_VERSIONS.find((v) => v.version === version);
  if (!known) {
    return {
      version,
      state: 'unknown',
      availableUntil: null,
      daysLeft: null,
      latest,
      message: `Graph API ${version} is not in the table of versions this build knows (newest: ${latest}); check Meta's changelog for its end date.`,
    };
  }
  if (!known.availableUntil) {
    return { version, state: 'supported', availableUntil: null, daysLeft: null, latest, message: `Graph API ${version} has no end date yet.` };
  }
  const daysLeft = Math.floor((Date.parse(`${known.availableUntil}T00:00:00Z`) - now.getTime()) / DAY_MS);
  const upgrade = version === latest ? '' : ` Move META_API_VERSION to ${latest} after checking its changelog.`;
  if (daysLeft < 0) {
    return {
      version,
      state: 'ended',
      availableUntil: known.availableUntil,
      daysLeft,
      latest,
      message: `Graph API ${version} stopped working on ${known.availableUntil}: Meta now answers as an older-format version, and payloads may differ.${upgrade}`,
    };
  }
  if (daysLeft <= GRAPH_VERSION_WARNING_DAYS) {
    return {
      version,
      state: 'ending_soon',
      availableUntil: known.availableUntil,
      daysLeft,
      latest,
      message: `Graph API ${version} stops working on ${known.availableUntil}, in ${daysLeft} days.${upgrade}`,
    };
  }
  return { version, state: 'supported', availableUntil: known.availableUntil, daysLeft, latest, message: `Graph API ${version} works until ${known.availableUntil} (${daysLeft} days).` };
}
