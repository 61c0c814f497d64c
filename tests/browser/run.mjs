// Browser journeys of ruche, driven by playwright-core in Debian's chromium.
//
//   RUCHE_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=target/browser/screenshots node tests/browser/run.mjs
//
// ./scripts/test starts `ruche demo --reset` and runs this file against it. Each journey runs
// in a fresh browser context (French-speaking Belgian browser); a full-page screenshot is kept
// at each important step, and a screenshot plus the page's HTML when a journey fails.
// No test framework: `test(name, fn)` below, ✓/✗ per journey, exit code 1 on any failure.
// Never run `playwright install`: the browser is the system's /usr/bin/chromium.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.RUCHE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'target/browser/screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PASSWORD = 'ruche-demo';
const ADMIN = 'admin@demo.ruche.coop';
const MEMBER = 'membre@demo.ruche.coop';
const STEP_TIMEOUT_MS = 15_000;
const JOURNEY_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------- the tiny runner

const journeys = [];
function test(name, fn) {
  journeys.push({ name, fn });
}

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function slug(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// What a journey gets: the page, and `shot(label)` for a full-page screenshot.
function journeyKit(page, index, name) {
  const prefix = `${String(index + 1).padStart(2, '0')}-${slug(name).slice(0, 40).replace(/-$/, '')}`;
  let step = 0;
  return {
    page,
    async shot(label) {
      step += 1;
      const file = path.join(SCREENSHOT_DIR, `${prefix}-${String(step).padStart(2, '0')}-${slug(label)}.png`);
      await page.screenshot({ path: file, fullPage: true });
    },
    async keepFailure() {
      const base = path.join(SCREENSHOT_DIR, `${prefix}-failure`);
      await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
      const html = await page.content().catch(() => '');
      await writeFile(`${base}.html`, `<!-- ${page.url()} -->\n${html}`).catch(() => {});
      return `${base}.png`;
    },
  };
}

async function runAll() {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  console.log(`browser journeys against ${BASE_URL} (chromium: ${CHROMIUM})`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  let passed = 0;
  let failed = 0;
  try {
    for (const [index, { name, fn }] of journeys.entries()) {
      const started = Date.now();
      const context = await browser.newContext({
        baseURL: BASE_URL,
        locale: 'fr-BE',
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      page.setDefaultNavigationTimeout(30_000);
      const pageErrors = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        // A 4xx answer (the 422 of a refused form, a missing favicon) also logs "Failed to
        // load resource": only the page's own script errors are worth printing.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          console.log(`    (console error on ${page.url()}: ${message.text()})`);
        }
      });
      const kit = journeyKit(page, index, name);
      try {
        await withTimeout(fn(kit), JOURNEY_TIMEOUT_MS, 'the journey');
        check(pageErrors.length === 0, `uncaught script errors in the page: ${pageErrors.join(' | ')}`);
        passed += 1;
        console.log(`✓ ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        const where = page.url();
        const kept = await kit.keepFailure();
        console.log(`✗ ${name} (${Date.now() - started} ms)`);
        console.log(`    at ${where}`);
        const message = (error instanceof Failure ? error.message : (error?.stack ?? String(error))).replace(
          /\u001b\[[0-9;]*m/g,
          '',
        );
        for (const line of String(message).split('\n')) console.log(`    ${line}`);
        console.log(`    screenshot: ${kept}`);
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

// ---------------------------------------------------------------- helpers on pages

async function visit(page, pathAndQuery) {
  const response = await page.goto(pathAndQuery, { waitUntil: 'load' });
  check(response !== null, `no response for ${pathAndQuery}`);
  check(response.ok(), `GET ${pathAndQuery} answered ${response.status()} (now at ${page.url()})`);
  return response;
}

// Clicks a submit button and waits for the page that answers (a full navigation, following
// redirects). `waitForNavigation` is started before the click, so it cannot miss it.
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// Waits for `locator` (visible, or only attached) and, when it never comes, fails saying
// what was expected instead of Playwright's call log.
async function expectPresent(locator, what, state = 'visible') {
  try {
    await locator.waitFor({ state });
  } catch (error) {
    if (error?.name !== 'TimeoutError') throw error;
    throw new Failure(`expected ${what} within ${STEP_TIMEOUT_MS / 1000} s, on ${locator.page().url()}`);
  }
}

function pathname(page) {
  return new URL(page.url()).pathname;
}

async function htmlLang(page) {
  return (await page.locator('html').getAttribute('lang')) ?? '';
}

// The form holding `field` (a selector inside it): pages also carry other forms (language
// switcher, logout), so "the" submit button is always looked up inside its own form.
function formWith(page, field) {
  return page.locator('form').filter({ has: page.locator(field) });
}

async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

// Logs in from /login; stays wherever the server sends us next.
async function login(page, email) {
  await visit(page, '/login');
  const form = formWith(page, 'input[name=password]');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(PASSWORD);
  await submit(page, form.locator('button[type=submit]'));
  if (pathname(page) === '/login') {
    const said = await textOf(page.locator('main').first()).catch(() => '');
    throw new Failure(`logging in as ${email} failed: still on /login. The page says: ${said.slice(0, 300)}`);
  }
}

// Accepts the usage contract if the server asked for it (the page we are on is /usage-contract).
async function acceptContractIfAsked(page) {
  if (pathname(page) !== '/usage-contract') return false;
  await submit(page, page.locator('button#accept-contract'));
  check(pathname(page) !== '/usage-contract', 'after accepting the usage contract, still on /usage-contract');
  return true;
}

async function loginAsAdmin(page) {
  await login(page, ADMIN);
  await acceptContractIfAsked(page);
}

async function fillOffice(page, office) {
  const form = formWith(page, 'input[name=postcode]');
  await form.locator('input[name=name]').fill(office.name);
  await form.locator('select[name=region]').selectOption(office.region);
  await form.locator('input[name=street]').fill(office.street);
  await form.locator('input[name=postcode]').fill(office.postcode);
  await form.locator('input[name=city]').fill(office.city);
  return form;
}

function uniqueOfficeName(prefix) {
  return `${prefix} ${Date.now()}`;
}

// ---------------------------------------------------------------- the journeys

test('a member logs in in French, accepts the usage contract, switches to Dutch and sees the dashboard in Dutch', async ({
  page,
  shot,
}) => {
  await visit(page, '/login');
  check((await htmlLang(page)) === 'fr', `the login page for a fr-BE browser has <html lang="${await htmlLang(page)}">, expected "fr"`);
  const loginButton = formWith(page, 'input[name=password]').locator('button[type=submit]');
  const loginLabel = await textOf(loginButton);
  check(loginLabel.includes('Se connecter'), `the login button reads "${loginLabel}", expected "Se connecter"`);
  await shot('login page in French');

  await login(page, MEMBER);
  check(
    pathname(page) === '/usage-contract',
    `a member who has not accepted the usage contract should be sent to /usage-contract, got ${page.url()}`,
  );
  check((await htmlLang(page)) === 'fr', `the usage contract page has <html lang="${await htmlLang(page)}">, expected "fr"`);
  const accept = page.locator('button#accept-contract');
  await expectPresent(accept, 'the usage contract with button#accept-contract');
  const contractText = await textOf(page.locator('body'));
  check(contractText.length > 200, `the usage contract page shows almost no text (${contractText.length} characters)`);
  await shot('usage contract');

  await submit(page, accept);
  check(pathname(page) === '/', `after accepting the usage contract, expected the dashboard /, got ${page.url()}`);
  const h1 = page.locator('h1').first();
  await expectPresent(h1, 'the dashboard h1');
  const frenchTitle = await textOf(h1);
  check(frenchTitle !== '', 'the dashboard h1 is empty');
  check((await htmlLang(page)) === 'fr', `the dashboard has <html lang="${await htmlLang(page)}">, expected "fr"`);
  await shot('dashboard in French');

  await submit(page, page.locator('form.language-switcher button[value=nl]'));
  await expectPresent(page.locator('html[lang="nl"]'), 'the page reloaded with <html lang="nl"> after choosing Dutch', 'attached');
  check(pathname(page) === '/', `after choosing Dutch on the dashboard, expected to stay on /, got ${page.url()}`);
  const logout = page.getByRole('button', { name: 'Afmelden' });
  await expectPresent(logout.first(), 'a logout button reading "Afmelden"');
  await expectPresent(h1, 'the Dutch dashboard h1');
  const dutchTitle = await textOf(h1);
  check(dutchTitle !== '', 'the Dutch dashboard h1 is empty');
  check(dutchTitle !== frenchTitle, `the dashboard h1 is still "${frenchTitle}" after choosing Dutch`);
  await shot('dashboard in Dutch');

  // The choice is a setting: it outlives the page, although the browser still asks for French.
  await page.reload({ waitUntil: 'load' });
  check((await htmlLang(page)) === 'nl', `after a reload the dashboard has <html lang="${await htmlLang(page)}">, expected "nl" (the chosen language)`);
  check((await textOf(h1)) === dutchTitle, 'after a reload the dashboard h1 changed');
});

test('an administrator creates an office and sees it in the audit log', async ({ page, shot }) => {
  await loginAsAdmin(page);
  await visit(page, '/staff/offices/new');
  const name = uniqueOfficeName('Antenne test');
  const form = await fillOffice(page, {
    name,
    region: 'wallonia',
    street: 'Rue de Fer 42',
    postcode: '5000',
    city: 'Namur',
  });
  await shot('new office form filled');

  await submit(page, form.locator('button[type=submit]'));
  const landed = pathname(page);
  check(
    /^\/staff\/offices\/[^/]+\/?$/.test(landed) && !landed.startsWith('/staff/offices/new'),
    `after creating the office, expected the office's page /staff/offices/<id>, got ${page.url()}`,
  );
  await expectPresent(page.getByText(name).first(), `the office page showing "${name}"`);
  await shot('office page');

  await visit(page, '/staff/audit?entity_type=office');
  const row = page.locator('table tr').filter({ hasText: name });
  await expectPresent(row.first(), `a row of the audit log table containing "${name}"`);
  await shot('audit log with the office');
});

test('bad input is refused with a message naming the field', async ({ page, shot }) => {
  await loginAsAdmin(page);
  await visit(page, '/staff/offices/new');
  const name = uniqueOfficeName('Antenne refusee');
  const form = await fillOffice(page, {
    name,
    region: 'wallonia',
    street: 'Rue de Fer 42',
    postcode: 'ABC',
    city: 'Namur',
  });
  // The browser must not stop the form itself (a pattern attribute would): the server is what
  // is tested here, so its own checks are bypassed.
  await form.evaluate((element) => element.setAttribute('novalidate', ''));
  await submit(page, form.locator('button[type=submit]'));

  const postcode = page.locator('input[name=postcode]');
  await expectPresent(postcode, 'the office form shown again with the postcode field (the office must be refused)');
  check(
    (await postcode.getAttribute('aria-invalid')) === 'true',
    `the postcode input has aria-invalid="${await postcode.getAttribute('aria-invalid')}", expected "true"`,
  );
  const invalid = await page.locator('[aria-invalid=true]').evaluateAll((elements) => elements.map((e) => e.getAttribute('name')));
  check(
    invalid.length === 1 && invalid[0] === 'postcode',
    `only the postcode should be marked invalid, these are: ${invalid.join(', ')}`,
  );
  // The message stands in the postcode field's own container: the nearest ancestor of the
  // input, below the form, that holds a .field-error.
  const message = await postcode.evaluate((input) => {
    const form = input.closest('form');
    for (let node = input.parentElement; node && node !== form; node = node.parentElement) {
      const error = node.querySelector('.field-error');
      if (error) return (error.textContent ?? '').replace(/\s+/g, ' ').trim();
    }
    return null;
  });
  check(message !== null, 'no .field-error in the postcode field container');
  check(message !== '', 'the .field-error next to the postcode is empty');
  await shot('postcode refused');

  await visit(page, '/staff/offices');
  await expectPresent(page.locator('h1').first(), 'the office list h1');
  const listed = await page.getByText(name).count();
  check(listed === 0, `the refused office "${name}" appears in the office list`);
  await shot('office list without the refused office');
});

// ---------------------------------------------------------------- main

runAll().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(`✗ the browser tests could not run: ${error?.stack ?? error}`);
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  },
);
