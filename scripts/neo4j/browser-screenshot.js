// Screenshot of the cikg graph in the real Neo4j Browser (for the README). Not run by CI.
// Needs Debian's chromium and playwright-core from npm (see browser-check.js), a running server with the
// examples loaded (`make demo && .venv/bin/kg load neo4j --wipe -w .kg-demo`), then:
//   NODE_PATH=/tmp/pw/node_modules node scripts/neo4j/browser-screenshot.js docs/neo4j-browser.png
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

// The sanctions chain of the README (company -> (model ->) chip -> sanction -> who imposed it), with who
// designs and makes those chips and the rivalries of the companies in it (one edge per pair).
const QUERY = "MATCH p=(c:Company)-[:DEVELOPS*0..1]->(u)-[:USES_CHIP]->(k:Chip)-[:SUBJECT_TO]->(:Sanction)" +
  "-[:IMPOSED_BY]->() WHERE u = c OR u:AIModel " +
  "OPTIONAL MATCH q=(c)-[:COMPETES_WITH]-(:Company) " +
  "OPTIONAL MATCH m=(k)<-[:DEVELOPS|MANUFACTURES]-(:Company) RETURN p, q, m";

(async () => {
  const out = process.argv[2] || 'neo4j-browser.png';
  const grass = fs.readFileSync(path.join(__dirname, '..', '..', 'ontology', 'neo4j', 'style.grass'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  await page.goto(`http://127.0.0.1:${process.env.NEO4J_HTTP_PORT || '7474'}/browser/`, { waitUntil: 'networkidle' });
  await page.locator('input[data-testid="password"]').waitFor({ timeout: 30000 });
  await page.locator('input[data-testid="username"]').fill('neo4j');
  await page.locator('input[data-testid="password"]').fill(process.env.NEO4J_PASSWORD || 'cikg-password');
  await page.locator('button[data-testid="connect"]').click();
  await page.waitForTimeout(4000);
  const editor = page.locator('#monaco-main-editor textarea, [data-testid="activeEditor"] textarea').first();
  const run = async (text) => {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
    await page.keyboard.press('Control+Enter');
    await page.waitForTimeout(3000);
  };
  await run(':style ' + grass.replace(/\n/g, ' '));
  await run(':clear');
  await run(QUERY);
  await page.locator('[title="Fullscreen"], button[aria-label="Fullscreen"]').first().click().catch(() => {});
  await page.waitForTimeout(5000);
  for (let i = 0; i < 2; i++) {
    await page.locator('[aria-label="zoom-in"], button[title="Zoom in"]').first().click().catch(() => {});
    await page.waitForTimeout(800);
  }
  await page.waitForTimeout(2000);
  await page.screenshot({ path: out });
  console.log('screenshot:', out);
  await browser.close();
})().catch((e) => { console.error('screenshot failed:', e.message); process.exit(1); });
