// Maatlat is built for Node.js 24 LTS (22.12 or later works too: package.json's `engines`). Node 20
// has reached its end of life; every entry point (npm start, the CLI, the benchmarks, the tests)
// says so on an older Node instead of leaving a later failure unexplained.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.warn(
    `Maatlat is built for Node.js 24 LTS (22.12 or later); this is ${process.version}, which is not supported.\n` +
      `Maatlat is gemaakt voor Node.js 24 LTS (22.12 of nieuwer); ${process.version} wordt niet ondersteund.`,
  );
}
