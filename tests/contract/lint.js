'use strict';
// Lints every API of redocly.yaml (schema/openapi/*.json) with Redocly's lint engine,
// @redocly/openapi-core: the library behind `redocly lint`, without the CLI's documentation
// renderer and telemetry. Any problem, error or warning, fails. Then each document alone
// with @seriousme/openapi-schema-validator, which resolves internal references only: a
// document that leans on the other one fails there.
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
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
  // An ES module: import() ignores NODE_PATH, so find it the CommonJS way and import the file.
  const { Validator } = await import(
    pathToFileURL(require.resolve('@seriousme/openapi-schema-validator')).href);
  for (const api of Object.values(config.apis)) {
    const file = path.resolve(path.dirname(configPath), api.root);
    const result = await new Validator().validate(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (result.valid) {
      console.log(`lint: ${path.basename(file)} stands alone (openapi-schema-validator)`);
    } else {
      console.error(`lint: ${path.basename(file)}: ${JSON.stringify(result.errors)}`);
      failed++;
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
