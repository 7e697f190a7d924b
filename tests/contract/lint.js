'use strict';
// Lints every API of redocly.yaml (schema/openapi/*.json) with Redocly's lint engine,
// @redocly/openapi-core: the library behind `redocly lint`, without the CLI's documentation
// renderer and telemetry. Any problem, error or warning, fails.
const path = require('path');
const { lint, loadConfig, getMergedConfig, formatProblems, getTotals } =
  require('@redocly/openapi-core');

async function main() {
  const configPath = path.join(__dirname, 'redocly.yaml');
  const config = await loadConfig({ configPath });
  let failed = 0;
  for (const [alias, api] of Object.entries(config.apis)) {
    const file = path.resolve(path.dirname(configPath), api.root);
    const problems = await lint({ ref: file, config: getMergedConfig(config, alias) });
    if (problems.length > 0) {
      formatProblems(problems, { format: 'stylish', totals: getTotals(problems),
        version: 'openapi-core' });
      failed += problems.length;
    } else {
      console.log(`lint: ${alias} (${path.relative(process.cwd(), file)}): no problems`);
    }
  }
  if (failed > 0) {
    console.error(`lint: ${failed} problem(s)`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
