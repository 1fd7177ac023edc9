import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentHash, genesisHash, linkHash, PostgresEventStore } from '@maatlat/shared/event-store';
import { createTestDatabase, rewriteStreamWithChain, testConfig, type TestDatabase } from '@maatlat/shared/testing';
import { archiveExport, archiveVerify, createCheckpoint, publicKeys, verifyCheckpointFile } from './archive-commands';
import { verify } from './commands';
import { platformServices } from './features';

const SIGNING_KEY = `c1:${'11'.repeat(32)}`;

describe('cli archive export / verify, checkpoint create, verify --checkpoint', () => {
  let database: TestDatabase;
  let work: string;
  let organisationId: string;
  const config = () => testConfig({ DATABASE_URL: database.url, SIGNING_KEY });

  beforeAll(async () => {
    database = await createTestDatabase();
    work = await mkdtemp(join(tmpdir(), 'maatlat-cli-archive-'));
    const services = platformServices(database.db, new PostgresEventStore(database.db, database.pool), config());
    organisationId = (await services.organisations.register({ name: 'Waterschap Export', organisationType: 'water-board', sizeBand: 'small' }, { now: new Date(), actor: 'admin', correlationId: randomUUID() })).organisationId;
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await database.drop();
  });

  it('records a checkpoint to a file, and the log holds what it covered', async () => {
    const file = join(work, 'checkpoint.json');
    const created = await createCheckpoint(config(), { out: file });
    expect(created).toMatchObject({ exitCode: 0, output: expect.stringMatching(/^checkpoint 1: \d+ stream\(s\) up to position \d+, root [0-9a-f]{64}, signed with key c1/) });
    expect(await verifyCheckpointFile(config(), file, {})).toMatchObject({ exitCode: 0, output: expect.stringContaining('verified: the log holds exactly what checkpoint 1 covered') });
    const keys = JSON.parse((await publicKeys(config())).output);
    expect(JSON.parse(await readFile(file, 'utf8')).publicKey).toEqual(keys.keys[0]);
  });

  it('exports an organisation and verifies the export offline; a changed byte exits 2 naming the file and line', async () => {
    const dir = join(work, 'export');
    expect(await archiveExport(config(), organisationId, dir, {})).toMatchObject({ exitCode: 0, output: expect.stringContaining(`exported organisation ${organisationId}`) });
    expect(await archiveVerify(dir, {})).toMatchObject({ exitCode: 0, output: expect.stringMatching(/stream head\(s\) proven in signed checkpoint 1 \(key c1\); the manifest \(every file\) signed with key c1$/) });
    const file = `streams/organisation-${organisationId}.jsonl`;
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace('Waterschap Export', 'Waterschap Exporr'));
    expect(await archiveVerify(dir, {})).toEqual({ exitCode: 2, output: expect.stringMatching(new RegExp(`^DISCREPANCY: ${file.replace(/[.]/g, '\\.')}:1: the event content does not match its content hash`)) });
  });

  it('a stream rewritten with its chain recomputed: verify alone passes, verify --checkpoint exits 2 naming the stream', async () => {
    const file = join(work, 'checkpoint-before-rewrite.json');
    expect(await createCheckpoint(config(), { out: file })).toMatchObject({ exitCode: 0 });
    const streamId = `organisation-${organisationId}`;
    await rewriteStreamWithChain(database.pool, { contentHash, genesisHash, linkHash }, streamId, (data) => {
      data.name = 'Waterschap Herschreven';
    });
    expect(await verify(config(), {})).toMatchObject({ exitCode: 0, output: expect.stringMatching(/^verified: the event store, .* every hash chain intact$/) });
    const checked = await verifyCheckpointFile(config(), file, {});
    expect(checked.exitCode).toBe(2);
    expect(checked.output).toMatch(/^CHECKPOINT \d+ DOES NOT HOLD:/);
    expect(checked.output).toContain(`  ${streamId}: `);
    expect(checked.output).toContain('the stream was rewritten');
    const json = JSON.parse((await verifyCheckpointFile(config(), file, { json: true })).output);
    expect(json).toMatchObject({ ok: false, signature: 'valid', streams: [{ streamId, problem: expect.stringContaining('the stream was rewritten') }] });
  });

  it('verify --checkpoint takes any copy of a checkpoint and names the rewritten stream from the heads the platform kept', async () => {
    const { statement, signature, publicKey } = JSON.parse(await readFile(join(work, 'checkpoint-before-rewrite.json'), 'utf8'));
    const streamId = `organisation-${organisationId}`;
    const keyFile = join(work, 'keys.json');
    await writeFile(keyFile, (await publicKeys(config())).output);
    const copies = {
      // The API's answer to POST /v1/checkpoints: no key, no heads.
      'api.json': { statement, signature },
      // The open dataset's checkpoints.json: every checkpoint with the keys.
      'open-data.json': { checkpoints: [{ statement: { ...statement, sequence: 1 }, signature }, { statement, signature }], keys: [publicKey] },
      // An export's checkpoint.json (checkpoint 1, recorded before the rewrite).
      'export.json': JSON.parse(await readFile(join(work, 'export', 'checkpoint.json'), 'utf8')),
      // A score proof carries its checkpoint.
      'proof.json': { checkpoint: { statement, signature }, event: {} },
    };
    for (const [name, copy] of Object.entries(copies)) {
      await writeFile(join(work, name), JSON.stringify(copy));
      const checked = await verifyCheckpointFile(config(), join(work, name), { json: true, publicKey: keyFile });
      expect({ name, ...JSON.parse(checked.output) }).toMatchObject({ name, ok: false, signature: 'valid', coveredHeads: 'platform', streams: [{ streamId, problem: expect.stringContaining('the stream was rewritten') }] });
      expect(checked.exitCode).toBe(2);
    }
    // From the list, the one asked for; its entry for checkpoint 1 was given another's statement, so its signature fails.
    expect(JSON.parse((await verifyCheckpointFile(config(), join(work, 'open-data.json'), { json: true, sequence: '1' })).output)).toMatchObject({ ok: false, sequence: 1, signature: 'invalid' });
    await expect(verifyCheckpointFile(config(), join(work, 'open-data.json'), { sequence: '99' })).rejects.toThrow(/holds no checkpoint 99/);
    await expect(verifyCheckpointFile(config(), join(work, 'open-data.json'), { sequence: 'latest' })).rejects.toThrow(/--sequence must be a checkpoint's number/);
    // Without SIGNING_KEY, a copy without a key needs one given.
    const unsigned = () => testConfig({ DATABASE_URL: database.url });
    await expect(verifyCheckpointFile(unsigned(), join(work, 'api.json'), {})).rejects.toThrow(/carries no public key for key c1: give --public-key FILE/);
    expect((await verifyCheckpointFile(unsigned(), join(work, 'api.json'), { publicKey: keyFile })).exitCode).toBe(2);
    await writeFile(join(work, 'not-a-checkpoint.json'), '{"hello": "world"}');
    await expect(verifyCheckpointFile(config(), join(work, 'not-a-checkpoint.json'), {})).rejects.toThrow(/is not a copy of a checkpoint/);
  });

  it('refuses an export without an organisation or a directory', async () => {
    await expect(archiveExport(config(), undefined, join(work, 'x'), {})).rejects.toThrow(/--organisation ID/);
    await expect(archiveExport(config(), organisationId, join(work, 'x'), { retention: 'twenty years' })).rejects.toThrow(/--retention must be an ISO 8601 duration/);
  });
});
