import { canonicalJson } from '@maatlat/shared/domain';
import { contentHash, contentHashOfCanonicalParts, deterministicUuid, keyedUuid, newEntityId, uuidv7 } from './hashing';

describe('content hashes', () => {
  it('are the same whether the data and metadata were written canonically once per append or per event', () => {
    const event = { eventId: '9f1c2a8e-0000-4000-8000-000000000001', type: 'AnswerRecorded', schemaVersion: 2, data: { z: [1, { b: 2, a: 1 }], level: 3 } };
    const metadata = { tenantId: 'org-1', actor: 'r-1', correlationId: 'c', commandId: 'x"y' };
    const parts = { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, dataJson: canonicalJson(event.data) };
    expect(contentHashOfCanonicalParts(parts, canonicalJson(metadata)).equals(contentHash({ ...event, metadata }))).toBe(true);
    // Not any text of the data: its canonical one.
    expect(contentHashOfCanonicalParts({ ...parts, dataJson: JSON.stringify(event.data) }, canonicalJson(metadata)).equals(contentHash({ ...event, metadata }))).toBe(false);
  });
});

describe('ids', () => {
  it('are version 7 uuids that sort by their time', () => {
    const early = uuidv7(Date.UTC(2026, 0, 1));
    const late = uuidv7(Date.UTC(2026, 0, 1) + 1);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early < late).toBe(true);
    // 2026-01-01T00:00:00Z is 1767225600000 ms, 0x019b76daa800.
    expect(early.slice(0, 13)).toBe('019b76da-a800');
  });

  it('are the same for the same command, stream and index, and differ otherwise', () => {
    const now = Date.UTC(2026, 10, 28, 10);
    expect(deterministicUuid(now, 'assessment-1', 'cmd-1', '0')).toBe(deterministicUuid(now, 'assessment-1', 'cmd-1', '0'));
    expect(deterministicUuid(now, 'assessment-1', 'cmd-1', '0')).not.toBe(deterministicUuid(now, 'assessment-1', 'cmd-1', '1'));
    expect(deterministicUuid(now, 'assessment-1', 'cmd-1', '0')).not.toBe(deterministicUuid(now, 'assessment-2', 'cmd-1', '0'));
  });

  it('never change for the same inputs: stored events were given them and retries must find them again', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(uuidv7(now, Buffer.from('00112233445566778899', 'hex'))).toBe('019b76da-a800-7011-a233-445566778899');
    expect(deterministicUuid(now, 'assessment-1', 'cmd-1', '0')).toBe('019b76da-a800-7657-bd1b-0daf607bd68c');
  });

  it('derived from names alone are version 8 uuids, the same at any time, and never change', () => {
    expect(keyedUuid('recalculation', 'cause-1')).toBe(keyedUuid('recalculation', 'cause-1'));
    expect(keyedUuid('recalculation', 'cause-1')).not.toBe(keyedUuid('recalculation', 'cause-2'));
    expect(keyedUuid('a', 'bc')).not.toBe(keyedUuid('ab', 'c'));
    expect(keyedUuid('recalculation', 'cause-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyedUuid('assessment', 'anna', 'key-1')).toBe('a53fad6a-69c3-8634-9a32-d713f6b89790');
  });

  it('of new entities derive from the caller and the idempotency key when there is one', () => {
    const first = { now: new Date(Date.UTC(2026, 0, 1)), actor: 'anna', commandId: 'key-1' };
    expect(newEntityId('assessment', first)).toBe(newEntityId('assessment', { ...first, now: new Date() }));
    expect(newEntityId('assessment', first)).not.toBe(newEntityId('assessment', { ...first, actor: 'bert' }));
    expect(newEntityId('assessment', first)).not.toBe(newEntityId('organisation', first));
    expect(newEntityId('assessment', { now: first.now, actor: 'anna' })).not.toBe(newEntityId('assessment', { now: first.now, actor: 'anna' }));
  });

  it('are all different, drawn one after another', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => uuidv7(Date.UTC(2026, 0, 1))));
    expect(ids.size).toBe(5000);
    // Every one a version 7 uuid of that millisecond, with the variant's two random bits all used.
    expect([...ids].every((id) => /^019b76da-a800-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(new Set([...ids].map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});
