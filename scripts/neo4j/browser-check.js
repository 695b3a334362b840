// Manual check that Neo4j Browser (served by Neo4j at http://127.0.0.1:7474/browser/)
// loads, logs in over Bolt and runs a query. Not run by CI. Needs Debian's chromium and
// playwright-core from npm, e.g.:
//   apt-get install -y chromium
//   (cd /tmp/pw && npm init -y >/dev/null && npm install playwright-core)
//   NODE_PATH=/tmp/pw/node_modules node scripts/neo4j/browser-check.js scripts/neo4j/browser-check.png
// Env: NEO4J_HTTP_PORT (7474), NEO4J_PASSWORD (cikg-password), CHROMIUM (/usr/bin/chromium).
const { chromium } = require('playwright-core');

(async () => {
  const out = process.argv[2] || 'browser-check.png';
  const url = `http://127.0.0.1:${process.env.NEO4J_HTTP_PORT || '7474'}/browser/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('input[data-testid="password"]').waitFor({ timeout: 30000 });
  console.log('Browser loaded; Connect URL prefilled with', await page.locator('input[data-testid="boltaddress"]').inputValue());
  await page.locator('input[data-testid="username"]').fill('neo4j');
  await page.locator('input[data-testid="password"]').fill(process.env.NEO4J_PASSWORD || 'cikg-password');
  await page.locator('button[data-testid="connect"]').click();
  await page.waitForTimeout(4000);
  await page.locator('#monaco-main-editor textarea, [data-testid="activeEditor"] textarea').first().click();
  await page.keyboard.type('SHOW DATABASES');
  await page.keyboard.press('Control+Enter');
  await page.getByText('"system"').first().waitFor({ timeout: 20000 });
  await page.screenshot({ path: out });
  console.log('connected and ran SHOW DATABASES; screenshot:', out);
  await browser.close();
})().catch((e) => { console.error('browser check failed:', e.message); process.exit(1); });
