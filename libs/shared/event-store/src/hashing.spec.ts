import { canonicalJson } from '@maatlat/shared/domain';
import { contentHash, contentHashWithCanonicalMetadata } from './hashing';

describe('content hashes', () => {
  it('are the same whether the metadata was made canonical once per append or per event', () => {
    const event = { eventId: '9f1c2a8e-0000-4000-8000-000000000001', type: 'AnswerRecorded', schemaVersion: 2, data: { z: [1, { b: 2, a: 1 }], level: 3 } };
    const metadata = { tenantId: 'org-1', actor: 'r-1', correlationId: 'c', commandId: 'x"y' };
    expect(contentHashWithCanonicalMetadata(event, canonicalJson(metadata)).equals(contentHash({ ...event, metadata }))).toBe(true);
  });
});
