/**
 * The crowd of bench:answers, in a process of its own (as browsers are): started by
 * answers.bench.ts with child_process.fork, it gets the API's address, the assessment, the
 * respondents' tokens and the questions in one message, has every respondent answer question
 * after question, all respondents at once, over keep-alive connections (one per respondent), and
 * sends back each answer's latency and status. The API process then spends its CPU on serving only.
 */
import { Agent, request } from 'node:http';

export interface CrowdTask {
  base: string;
  assessmentId: string;
  tokens: string[];
  questions: string[];
}

export interface CrowdResult {
  latencies: number[];
  statuses: Record<number, number>;
  networkErrors: Record<string, number>;
  seconds: number;
  clientCpuMs: number;
}

function put(agent: Agent, url: URL, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', agent, headers: { authorization: token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(task: CrowdTask): Promise<CrowdResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: task.tokens.length });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const networkErrors: Record<string, number> = {};
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    task.tokens.map(async (token, i) => {
      for (const [q, questionId] of task.questions.entries()) {
        const url = new URL(`/v1/assessments/${task.assessmentId}/answers/${questionId}`, task.base);
        const begun = performance.now();
        let status = 0;
        try {
          status = await put(agent, url, token, JSON.stringify({ level: (i + q) % 6 }));
        } catch (error) {
          // No response at all (a connection refused or reset): counted apart, as status 0, with its cause.
          const reason = (error as { code?: string }).code ?? String(error);
          networkErrors[reason] = (networkErrors[reason] ?? 0) + 1;
        }
        latencies.push(performance.now() - begun);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return { latencies, statuses, networkErrors, seconds, clientCpuMs: (used.user + used.system) / 1000 };
}

process.once('message', (task: CrowdTask) => {
  void run(task).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
});
process.send!('ready');
