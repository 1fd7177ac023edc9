// Gives every project the same `lint` and `test` targets, so that `nx affected -t lint test build`
// checks exactly the projects a change reaches: eslint and jest over the project's own folder,
// with the one root configuration of each (eslint.config.mjs, jest.config.js). The apps' `build`
// targets are in their project.json; caching and inputs of all three are in nx.json.
const path = require('node:path');

const createNodes = [
  '**/project.json',
  (files) =>
    files.map((file) => {
      const root = path.dirname(file);
      return [
        file,
        {
          projects: {
            [root]: {
              targets: {
                lint: { command: `eslint ${root} --max-warnings 0`, options: { cwd: '{workspaceRoot}' } },
                // --roots keeps jest to this folder (a path pattern would also match same-named folders elsewhere).
                test: { command: `jest --roots ${root} --passWithNoTests`, options: { cwd: '{workspaceRoot}' } },
              },
            },
          },
        },
      ];
    }),
];

module.exports = { name: 'maatlat-targets', createNodes };
