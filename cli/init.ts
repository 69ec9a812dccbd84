// `tickforge init [dir]`: a new project using tickforge from its own repository (init/).
import type { CommandModule } from 'yargs';
import { initProject } from '../init/index.ts';

export const initCommand: CommandModule<object, { dir: string; tickforge?: string; name?: string }> = {
  command: 'init [dir]',
  describe: 'Create a project: a first design, its model test, package.json, tsconfig, CI for GitHub Actions and GitLab CI',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'folder to create (empty or new)' })
      .option('tickforge', { type: 'string', describe: 'dependency spec for tickforge in package.json (default ^<this version>; a .tgz from `npm pack` works)' })
      .option('name', { type: 'string', describe: 'package name (default: the folder name)' }) as never,
  handler: (a) => {
    try {
      const files = initProject(a.dir, { tickforge: a.tickforge, name: a.name });
      console.log(`created ${a.dir}: ${files.join(', ')}`);
      console.log(`next: cd ${a.dir} && npm install && npx tickforge setup && npm test && npm run cosim`);
    } catch (e) {
      process.stderr.write(`tickforge: error: ${(e as Error).message}\n`);
      process.exitCode = 2;
    }
  },
};
