import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@maatlat/shared/config';
import { DomainError } from '@maatlat/shared/domain';
import { runOrExit } from '@maatlat/shared/nest';
import { migrate, rebuild, rewrapKeys, seedDemoCommand, stats, UsageError, verify, verifyAssessment, verifyBenchmark, verifyReportFile, type CommandResult } from './commands';
import { archiveExport, archiveVerify, createCheckpoint, publicKeys, scoreProof, verifyCheckpointFile, verifyScoreProof } from './archive-commands';
import { diffModelVersions, publishModelFile, validateModelFile } from './model-commands';
import { demoTokens, mintToken } from './token-command';

const USAGE = `usage: npm run cli -- <command> [options]

  migrate [--create-database]   bring the schema up to date (optionally create the database)
  verify [--stream ID] [--json] walk the hash chains; exit code 2 when one is broken
  verify --assessment ID        replay an assessment's recorded scores and check its chain
  verify --benchmark KEY@PERIOD [--level unit] [--edition N]
                                recompute a published benchmark from the score events it cites
  rebuild NAME                  rebuild a projection from zero in shadow tables, swapped in at the end
  stats [--json]                events, streams, pending jobs and projection lag
  model validate FILE           check a model version document; exit code 2 on problems
  model publish FILE --legal-basis TEXT --effective-from YYYY-MM-DD [--crosswalk FILE]
  model diff KEY@A KEY@B        what changed between two versions, as JSON
  seed-demo [--if-empty]        create the demo platform (60 organisations, 180 assessments across 2026.1 and 2027.1)
  archive export --organisation ID OUT_DIR [--retention P20Y]
                                an organisation's complete event history with manifest and MDTO records
  archive verify DIR [--json] [--public-key FILE]
                                check an export offline (files, hash chains, scores, checkpoint); exit code 2 on a discrepancy
  checkpoint create [--out FILE]
                                record a signed checkpoint of the whole log (SIGNING_KEY); the file keeps the heads it covers
  verify --checkpoint FILE [--sequence N] [--public-key FILE]
                                the log still holds exactly what the checkpoint covered; exit code 2 naming the streams that differ;
                                FILE is any copy: checkpoint create's, the API's, an export's checkpoint.json, a score proof, or the
                                open dataset's checkpoints.json (the latest, or --sequence N)
  proof --assessment ID [--checkpoint SEQ] [--with-event]
                                an inclusion proof of the assessment's latest score event against a checkpoint (JSON);
                                --with-event carries the score itself, not only its content hash
  proof verify FILE --public-key FILE
                                check an inclusion proof offline
  keys public                   the checkpoint signing key's public half (SIGNING_KEY) as a JWK set
  report verify FILE [--json]   whether the platform issued this report PDF; exit code 2 when not
  keys rewrap                   wrap every respondent's data key with the first DATA_KEY_ENCRYPTION_KEYS key (rotation)
  token --role ROLE [--role ROLE] [--org ID] [--subject NAME] [--ttl SECONDS]
                                a bearer token of the local issuer (LOCAL_ISSUER=on, or the demo's secret)
  demo-tokens                   a token per demo persona (administrator, coordinator, auditor, benchmark reader)`;

async function run(argv: string[]): Promise<CommandResult> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stream: { type: 'string' },
      assessment: { type: 'string' },
      benchmark: { type: 'string' },
      level: { type: 'string' },
      edition: { type: 'string' },
      json: { type: 'boolean' },
      'create-database': { type: 'boolean' },
      'if-empty': { type: 'boolean' },
      organisations: { type: 'string' },
      'legal-basis': { type: 'string' },
      'effective-from': { type: 'string' },
      crosswalk: { type: 'string' },
      role: { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      subject: { type: 'string' },
      ttl: { type: 'string' },
      organisation: { type: 'string' },
      retention: { type: 'string' },
      checkpoint: { type: 'string' },
      sequence: { type: 'string' },
      out: { type: 'string' },
      'public-key': { type: 'string' },
      'with-event': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) return { output: USAGE, exitCode: command || values.help ? 0 : 64 };
  // Offline: no configuration, no database.
  if (command === 'archive' && rest[0] === 'verify') return archiveVerify(rest[1], { json: values.json, publicKey: values['public-key'] });
  if (command === 'proof' && rest[0] === 'verify') return verifyScoreProof(rest[1], values['public-key']);
  const config = loadConfig();
  switch (command) {
    case 'migrate':
      return migrate(config, { createDatabase: values['create-database'] });
    case 'verify':
      if (values.benchmark) return verifyBenchmark(config, values.benchmark, { level: values.level, edition: values.edition, json: values.json });
      if (values.checkpoint) return verifyCheckpointFile(config, values.checkpoint, { json: values.json, sequence: values.sequence, publicKey: values['public-key'] });
      return values.assessment
        ? verifyAssessment(config, values.assessment, { json: values.json })
        : verify(config, { streamId: values.stream, json: values.json });
    case 'rebuild':
      return rebuild(config, rest[0]);
    case 'stats':
      return stats(config, { json: values.json });
    case 'seed-demo':
      return seedDemoCommand(config, { ifEmpty: values['if-empty'], organisations: values.organisations ? Number(values.organisations) : undefined });
    case 'report':
      if (rest[0] !== 'verify') throw new UsageError(`unknown report command "${rest[0] ?? ''}"\n${USAGE}`);
      return verifyReportFile(config, rest[1], { json: values.json });
    case 'keys':
      if (rest[0] === 'public') return publicKeys(config);
      if (rest[0] !== 'rewrap') throw new UsageError(`unknown keys command "${rest[0] ?? ''}"\n${USAGE}`);
      return rewrapKeys(config);
    case 'archive':
      if (rest[0] !== 'export') throw new UsageError(`unknown archive command "${rest[0] ?? ''}"\n${USAGE}`);
      return archiveExport(config, values.organisation, rest[1], { retention: values.retention });
    case 'checkpoint':
      if (rest[0] !== 'create') throw new UsageError(`unknown checkpoint command "${rest[0] ?? ''}"\n${USAGE}`);
      return createCheckpoint(config, { out: values.out });
    case 'proof':
      return scoreProof(config, values.assessment, values.checkpoint, { withEvent: values['with-event'] });
    case 'demo-tokens':
      return demoTokens(config);
    case 'token':
      return mintToken(config, { roles: values.role ?? [], organisations: values.org ?? [], subject: values.subject, ttl: values.ttl });
    case 'model':
      switch (rest[0]) {
        case 'validate':
          return validateModelFile(rest[1]);
        case 'publish':
          return publishModelFile(config, rest[1], { legalBasis: values['legal-basis'], effectiveFrom: values['effective-from'], crosswalk: values.crosswalk });
        case 'diff':
          return diffModelVersions(config, rest[1], rest[2]);
        default:
          throw new UsageError(`unknown model command "${rest[0] ?? ''}"\n${USAGE}`);
      }
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

void runOrExit('maatlat cli', async () => {
  let result: CommandResult;
  try {
    result = await run(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(64);
    }
    if (error instanceof DomainError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(`${result.output}\n`);
  process.exitCode = result.exitCode;
});
