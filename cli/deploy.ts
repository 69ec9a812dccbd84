// `tickforge deploy <build dir> --card <spec> --config limits.json`: checks the card is this build (ID, layout,
// build hash), validates the whole config against the register map (types, ranges, unknown keys) before any write,
// then stages every param and applies them with one COMMIT (docs/host.md). `tickforge card <build dir>` runs the
// simulated card in the foreground.
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { ConfigError, Refusal, validateConfig, startSimCard, loadBuild, isSystemBuild } from '../host/index.ts';
import { emit, hostOptions, hostRun, openSession, type HostArgs } from './ctl.ts';

interface DeployArgs extends HostArgs {
  dir: string;
  config: string;
}

export const deployCommand: CommandModule<object, DeployArgs> = {
  command: 'deploy <dir>',
  describe: 'Load a config (params, risk limits) onto a card running this build, atomically (one COMMIT)',
  builder: (y) =>
    hostOptions(y)
      .positional('dir', { type: 'string', demandOption: true, describe: 'build directory (tickforge build --out)' })
      .option('config', { type: 'string', demandOption: true, describe: 'JSON object of param: value (limits.json)' }) as never,
  handler: (a) =>
    hostRun(a, async () => {
      let config: unknown;
      try {
        config = JSON.parse(fs.readFileSync(a.config, 'utf8'));
      } catch (e) {
        throw new ConfigError([`${a.config}: ${(e as Error).message}`]);
      }
      if (isSystemBuild(a.dir)) throw new Refusal(`${a.dir} is a system's build: deploy takes a unit's build so far; use \`ctl set <unit>.<param>=...\`, \`ctl load <unit>.<memory>\` and \`ctl commit\` (each unit's own COMMIT)`);
      // Validate before the card is even opened: a bad config writes nothing and needs no card.
      validateConfig(loadBuild(a.dir).map, config);
      const s = await openSession({ ...a, build: a.dir }, 'deploy', { needMap: true });
      try {
        const r = await s.client.deploy(config);
        emit(a, { card: a.card, buildHash: s.build!.map.buildHash, ...r });
      } finally {
        await s.close();
      }
    }),
};

interface CardArgs {
  dir: string;
  socket: string;
  input: string;
  seed: number;
  gap: number;
  'cycles-per-ms': number;
  pcap?: string;
  design?: string;
  'hold-feed': boolean;
}

export const cardCommand: CommandModule<object, CardArgs> = {
  command: 'card <dir>',
  describe: 'Run the simulated card of a build: its Verilated RTL serving the register map on a Unix socket, replaying an input, writing its outputs to a pcap',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'build directory (tickforge build --out)' })
      .option('socket', { type: 'string', demandOption: true, describe: 'Unix socket path to serve on (created mode 0600; must not exist)' })
      .option('input', { type: 'string', default: 'synthetic:100000', describe: 'records to replay: synthetic:<N> or a file the design\'s stimulus reads' })
      .option('seed', { type: 'number', default: 1 })
      .option('gap', { type: 'number', default: 4, describe: 'cycles from one record\'s handshake to the next record\'s offer (the input rate)' })
      .option('cycles-per-ms', { type: 'number', default: 1000, describe: 'simulated clock cycles per millisecond of wall time' })
      .option('pcap', { type: 'string', describe: 'output pcap (default: the socket path with .pcap)' })
      .option('design', { type: 'string', describe: 'the design file, when report.json\'s (relative to where the build ran) does not resolve from here' })
      .option('hold-feed', { type: 'boolean', default: false, describe: 'offer no record until `tickforge ctl feed` (load params and memories first)' }) as never,
  handler: async (a) => {
    try {
      const card = await startSimCard({ build: a.dir, socket: a.socket, input: a.input, seed: a.seed, gap: a.gap, cyclesPerMs: a['cycles-per-ms'], pcap: a.pcap, designFile: a.design, holdFeed: a['hold-feed'], log: (s) => process.stderr.write(`tickforge: ${s}\n`) });
      process.stderr.write(`tickforge: sim card listening on ${card.socket}; outputs to ${card.pcap}; journal ${card.journal}\n`);
      console.log(`READY ${card.socket}`);
      const stop = () => card.child.kill('SIGTERM');
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.exitCode = (await card.exited) ?? 0;
    } catch (err) {
      process.stderr.write(`tickforge: error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
