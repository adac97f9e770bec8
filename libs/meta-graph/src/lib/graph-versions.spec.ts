import { GRAPH_API_VERSIONS, graphVersionStatus } from './graph-versions';

describe('Graph API version lifetimes', () => {
  const on = (iso: string) => new Date(`${iso}T12:00:00Z`);

  it('lists versions newest first, each ending after the one before it', () => {
    const ends = GRAPH_API_VERSIONS.map((v) => v.availableUntil).filter((d): d is string => d !== null);
    expect([...ends].sort().reverse()).toEqual(ends);
    expect(GRAPH_API_VERSIONS[0].version).toBe('v27.0');
  });

  it('warns 90 days before a version ends, and says what to move to', () => {
    expect(graphVersionStatus('v21.0', on('2026-10-21'))).toMatchObject({ state: 'supported', daysLeft: 91 });
    expect(graphVersionStatus('v21.0', on('2026-10-22'))).toMatchObject({ state: 'ending_soon', daysLeft: 90 });
    const soon = graphVersionStatus('v21.0', on('2026-12-01'));
    expect(soon).toMatchObject({ state: 'ending_soon', availableUntil: '2027-01-21', daysLeft: 50, latest: 'v27.0' });
    expect(soon.message).toBe('Graph API v21.0 stops working on 2027-01-21, in 50 days. Move META_API_VERSION to v27.0 after checking its changelog.');
  });

  it('says when a version has ended, has no end date yet, or is unknown', () => {
    expect(graphVersionStatus('v20.0', on('2026-12-01'))).toMatchObject({ state: 'ended', daysLeft: -69 });
    expect(graphVersionStatus('v25.0', on('2026-12-01'))).toMatchObject({ state: 'supported', availableUntil: '2028-07-29' });
    expect(graphVersionStatus('v27.0', on('2026-12-01'))).toMatchObject({ state: 'supported', availableUntil: null, daysLeft: null });
    expect(graphVersionStatus('v99.0', on('2026-12-01'))).toMatchObject({ state: 'unknown' });
  });
});
