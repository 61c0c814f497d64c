// Browser journeys of ruche, driven by playwright-core in Debian's chromium.
//
//   RUCHE_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=target/browser/screenshots node tests/browser/run.mjs
//   ONLY='bank statement' …   runs only the journeys whose name holds these words
//
// ./scripts/test starts `ruche demo --reset` and runs this file against it. Each journey runs
// in a fresh browser context (a French-speaking Belgian browser unless the journey asks for
// another locale) and may open more contexts of its own (another person, an anonymous
// visitor); a full-page screenshot is kept at each important step, and a screenshot plus the
// HTML of every open page when a journey fails.
// No test framework: `test(name, fn)` below, ✓/✗ per journey, exit code 1 on any failure.
// Never run `playwright install`: the browser is the system's /usr/bin/chromium.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
const DEFAULT_LOCALE = 'fr-BE';

// ---------------------------------------------------------------- the tiny runner

const journeys = [];
// `options.locale`: the browser's locale for the journey's first context (default fr-BE).
function test(name, fn, options = {}) {
  journeys.push({ name, fn, locale: options.locale ?? DEFAULT_LOCALE });
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

// Opens a browser context and its page, with the runner's settings; the page's uncaught
// script errors are pushed into `pageErrors`.
async function openPage(browser, locale, pageErrors) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(`${error.message} (on ${page.url()})`));
  page.on('console', (message) => {
    // A 4xx answer (the 422 of a refused form, a missing favicon) also logs "Failed to
    // load resource": only the page's own script errors are worth printing.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      console.log(`    (console error on ${page.url()}: ${message.text()})`);
    }
  });
  return { context, page };
}

// What a journey gets: the page, `shot(label, onPage)` for a full-page screenshot (of the
// journey's page unless another is named), `newPage({ locale })` for a page in a context of
// its own (another login, an anonymous visitor; closed with the journey) and `fileName(label,
// extension)` for a file kept next to the screenshots (a download).
function journeyKit(browser, page, index, name, pageErrors) {
  const prefix = `${String(index + 1).padStart(2, '0')}-${slug(name).slice(0, 40).replace(/-$/, '')}`;
  const contexts = [];
  const pages = [page];
  let step = 0;
  return {
    page,
    contexts,
    async shot(label, onPage = page) {
      step += 1;
      const file = path.join(SCREENSHOT_DIR, `${prefix}-${String(step).padStart(2, '0')}-${slug(label)}.png`);
      await onPage.screenshot({ path: file, fullPage: true });
    },
    fileName(label, extension) {
      return path.join(SCREENSHOT_DIR, `${prefix}-${slug(label)}.${extension}`);
    },
    async newPage({ locale = DEFAULT_LOCALE } = {}) {
      const opened = await openPage(browser, locale, pageErrors);
      contexts.push(opened.context);
      pages.push(opened.page);
      return opened.page;
    },
    // One screenshot and the HTML of every open page: `…-failure.png` for the journey's
    // page, `…-failure-2.png` and on for the pages it opened.
    async keepFailure() {
      const kept = [];
      for (const [n, open] of pages.entries()) {
        if (open.isClosed()) continue;
        const base = path.join(SCREENSHOT_DIR, `${prefix}-failure${n === 0 ? '' : `-${n + 1}`}`);
        await open.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => {});
        const html = await open.content().catch(() => '');
        await writeFile(`${base}.html`, `<!-- ${open.url()} -->\n${html}`).catch(() => {});
        kept.push(`${base}.png${n === 0 ? '' : ` (${open.url()})`}`);
      }
      return kept.join(', ');
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
    for (const [index, { name, fn, locale }] of journeys.entries()) {
      // ONLY=<words>: run only the journeys whose name holds them (while writing one).
      if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
      const started = Date.now();
      const pageErrors = [];
      const { context, page } = await openPage(browser, locale, pageErrors);
      const kit = journeyKit(browser, page, index, name, pageErrors);
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
        for (const extra of kit.contexts) await extra.close().catch(() => {});
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

// Like `submit`, and the page that answers must be a success (not the 422 of a refused form):
// otherwise fails naming `what`, with the page's error summary or its first words.
async function submitOk(page, button, what) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  if (response !== null && !response.ok()) {
    const summary = await textOf(page.locator('[role=alert]').first()).catch(() => '');
    const said = summary || (await textOf(page.locator('main').first()).catch(() => ''));
    throw new Failure(`${what}: the server answered ${response.status()} at ${page.url()}. The page says: ${said.slice(0, 400)}`);
  }
  return response;
}

async function loginAndAccept(page, email) {
  await login(page, email);
  await acceptContractIfAsked(page);
}

// The number in `/quotes/12?saved=1` (pattern `^/quotes/(\d+)`), or a failure naming `what`.
function idIn(page, pattern, what) {
  const found = pathname(page).match(pattern);
  check(found !== null, `expected ${what}, got ${page.url()}`);
  return found[1];
}

// A valid Belgian enterprise number no run has used yet: the 1-series (new numbers since
// 2023; the demo's companies are in the 0-series), eight digits from the clock and the
// mod-97 check: 97 − (first eight digits mod 97). `1234.567.890` and `BE1234567890`.
let enterpriseSerial = 0;
function uniqueEnterpriseNumber() {
  enterpriseSerial += 1;
  const seven = String((Math.floor(Date.now() / 10) * 7 + enterpriseSerial * 7_919) % 10_000_000).padStart(7, '0');
  const body = `1${seven}`;
  const digits = `${body}${String(97 - (Number(body) % 97)).padStart(2, '0')}`;
  return { dotted: `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`, vat: `BE${digits}` };
}

// From the member's dashboard: the first of their activities (links `/activities/<id>` in
// "my activities") whose quote list offers a new quote — an active one they may quote for.
async function quotableActivityOf(page) {
  await visit(page, '/');
  const hrefs = await page
    .locator('main a[href^="/activities/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const ids = [...new Set(hrefs.map((h) => h.match(/^\/activities\/(\d+)$/)?.[1]).filter(Boolean))];
  check(ids.length > 0, `the dashboard of ${page.url()} links to no activity of the member`);
  for (const id of ids) {
    await visit(page, `/activities/${id}/quotes`);
    if ((await page.locator(`a[href="/activities/${id}/quotes/new"]`).count()) > 0) return id;
  }
  throw new Failure(`none of the member's activities (${ids.join(', ')}) offers a new quote: none is active`);
}

async function expectLang(page, lang, what) {
  const actual = await htmlLang(page);
  check(actual === lang, `${what} has <html lang="${actual}">, expected "${lang}" (at ${page.url()})`);
}

// On a general assembly's vote page: casts `choice` (yes, no, abstain) on resolution `rid`
// in the block of `principal` (the voter's own person id, or that of a principal whose proxy
// they hold); the page then shows the vote as cast.
async function castVote(page, rid, principal, choice) {
  const block = page.locator(`[data-testid="block-${rid}-${principal}"]`);
  await block.locator(`input[name=choice][value=${choice}]`).check();
  await submitOk(page, block.locator(`[data-testid="vote-${rid}-${principal}"]`), `voting ${choice} for person ${principal}`);
  await expectPresent(page.locator(`[data-testid="cast-${rid}-${principal}"]`), `the vote cast for person ${principal}`);
}

// One row (`raw` or `effective`) of a resolution's tally on the board's assembly page, as
// numbers: { yes, no, abstain } (votes print as `77` or `9,5`/`9.5`).
async function tallyRow(page, rid, row) {
  const cells = await page
    .locator(`[data-testid="tally-${rid}"] tr[data-testid=${row}] td`)
    .evaluateAll((tds) => tds.map((td) => td.textContent.trim()));
  check(cells.length === 3, `the ${row} line of the tally of resolution ${rid} has ${cells.length} figures`);
  const [yes, no, abstain] = cells.map((c) => Number(c.replace(/\s/g, '').replace(',', '.')));
  check([yes, no, abstain].every(Number.isFinite), `the ${row} line of the tally reads ${cells.join(' / ')}`);
  return { yes, no, abstain };
}

// The whole sale, as one member in one language:
//   the member creates a company client and a quote for it, saves and sends it;
//   the administrator reads the e-mail in the outbox and its /q/<token> link;
//   the client, anonymous, accepts it on the public page (in the quote's language);
//   the member invoices the order confirmation, issues the invoice and downloads its PDF.
async function quoteToInvoice({ page, shot, newPage, fileName }, sale) {
  const { lang, member, texts } = sale;
  const stamp = Date.now();
  const number = uniqueEnterpriseNumber();
  const email = `achats-${stamp}@${sale.emailDomain}`;
  const clientName = `${sale.clientName} ${stamp}`;

  // ---- the member, in their language
  await loginAndAccept(page, member);
  await expectLang(page, lang, `the dashboard of ${member}`);
  const activityId = await quotableActivityOf(page);
  await shot('quotes of the activity');

  await visit(page, '/clients/new');
  await expectLang(page, lang, 'the new client form');
  const clientForm = page.locator('form[action="/clients"]');
  await expectPresent(clientForm.locator('input[name=name]'), 'the new client form with its name field');
  await clientForm.locator('select[name=kind]').selectOption('company');
  await clientForm.locator('input[name=name]').fill(clientName);
  await clientForm.locator('input[name=enterprise_number]').fill(number.dotted);
  await clientForm.locator('input[name=vat_number]').fill(number.vat);
  await clientForm.locator('input[name=street]').fill(sale.street);
  await clientForm.locator('input[name=postcode]').fill(sale.postcode);
  await clientForm.locator('input[name=city]').fill(sale.city);
  await clientForm.locator('input[name=country]').fill('BE');
  await clientForm.locator('select[name=language]').selectOption(lang);
  await clientForm.locator('input[name=email]').fill(email);
  await shot('new client form filled');
  await submitOk(page, clientForm.locator('button[type=submit]'), `creating the client ${clientName} (${number.dotted})`);
  const clientId = idIn(page, /^\/clients\/(\d+)$/, "the new client's page /clients/<id>");
  check(
    (await page.locator('input[name=enterprise_number]').inputValue()).replace(/\D/g, '') === number.vat.slice(2),
    `the client's page does not show the enterprise number ${number.dotted}`,
  );
  await shot('client saved');

  await visit(page, `/activities/${activityId}/quotes`);
  await submitOk(page, page.locator(`a[href="/activities/${activityId}/quotes/new"]`), 'opening the new quote form');
  await expectLang(page, lang, 'the quote editor');
  const editor = page.locator('form#quote-editor');
  await expectPresent(editor.locator('select[name=client_id]'), 'the quote editor with its client field');
  await editor.locator('select[name=client_id]').selectOption(clientId);
  await editor.locator('input[name=title]').fill(sale.title);
  await editor.locator('input[name="lines[0].description"]').fill(sale.line);
  await editor.locator('input[name="lines[0].quantity"]').fill('1');
  await editor.locator('select[name="lines[0].unit"]').selectOption('LS');
  await editor.locator('input[name="lines[0].unit_price"]').fill('1.500,00');
  await editor.locator('select[name="lines[0].vat"]').selectOption('S:2100');
  await shot('quote filled');
  await submitOk(page, editor.locator('button[type=submit][name=op][value=save]'), 'saving the quote');
  const quoteId = idIn(page, /^\/quotes\/(\d+)$/, 'the saved quote /quotes/<id>');
  await expectLang(page, lang, 'the saved quote');
  const totals = await textOf(page.locator('#quote-totals'));
  check(totals.includes('1.815,00'), `the saved quote's totals read "${totals}", expected a total of 1.815,00 (1.500,00 + 21 %)`);
  await shot('quote saved');

  const sendForm = page.locator(`form[action="/quotes/${quoteId}/send"]`);
  await expectPresent(sendForm.locator('button[type=submit]'), `the form sending the quote to ${email}`);
  await submitOk(page, sendForm.locator('button[type=submit]'), 'sending the quote');
  check(pathname(page) === `/quotes/${quoteId}`, `after sending, expected /quotes/${quoteId}, got ${page.url()}`);
  check((await sendForm.count()) === 0, 'the sent quote still offers to send it');
  await expectLang(page, lang, 'the sent quote');
  await shot('quote sent');

  // ---- the administrator reads the e-mail in the outbox
  const admin = await newPage();
  await loginAndAccept(admin, ADMIN);
  await visit(admin, `/staff/mail?to=${encodeURIComponent(email)}`);
  const newest = admin.locator('main table a[href^="/staff/mail/"]').first();
  await expectPresent(newest, `a mail to ${email} in the outbox`);
  await shot('outbox with the quote mail', admin);
  await submitOk(admin, newest, 'opening the quote mail');
  const body = await textOf(admin.locator('main'));
  check(body.includes(email), `the mail opened is not the one to ${email}`);
  const link = body.match(/\/q\/([0-9a-f]{64})\b/);
  check(link !== null, `the quote mail to ${email} holds no /q/<token> link. It reads: ${body.slice(0, 400)}`);
  const publicPath = `/q/${link[1]}`;
  await shot('quote mail', admin);

  // ---- the client, anonymous, in a browser of the other language: the page speaks the quote's
  const client = await newPage({ locale: sale.otherLocale });
  await visit(client, publicPath);
  await expectLang(client, lang, `the public quote page (a ${lang} client, a ${sale.otherLocale} browser)`);
  const publicTitle = await textOf(client.locator('h1').first());
  check(publicTitle.startsWith(texts.publicTitle), `the public page's h1 reads "${publicTitle}", expected it to start with "${texts.publicTitle}"`);
  check(publicTitle.includes(sale.title), `the public page's h1 "${publicTitle}" does not name the quote "${sale.title}"`);
  const acceptForm = client.locator(`form[action="${publicPath}/accept"]`);
  await expectPresent(acceptForm.locator('input[name=accepted_name]'), 'the acceptance form with the name field');
  const publicTotal = await textOf(client.locator('main'));
  check(publicTotal.includes('1.815,00'), 'the public page does not show the total 1.815,00');
  await acceptForm.locator('input[name=accepted_name]').fill(sale.signer);
  await acceptForm.locator('input[name=accept]').check();
  await shot('public quote, acceptance filled', client);
  await submitOk(client, acceptForm.locator('button[type=submit]'), 'accepting the quote');
  check(pathname(client) === publicPath, `after accepting, expected ${publicPath}, got ${client.url()}`);
  await expectLang(client, lang, 'the accepted public quote');
  const accepted = await textOf(client.locator('[role=status]').first());
  check(
    accepted.includes(`${texts.acceptedBy} ${sale.signer}`),
    `the accepted page's notice reads "${accepted}", expected "${texts.acceptedBy} ${sale.signer} …"`,
  );
  check((await client.locator('form[action$="/accept"]').count()) === 0, 'the accepted quote still shows the acceptance form');
  check((await client.locator('form[action$="/decline"]').count()) === 0, 'the accepted quote still shows the decline form');
  check((await client.locator('input[name=accepted_name]').count()) === 0, 'the accepted quote still asks for a name');
  await shot('public quote accepted', client);

  // ---- the member invoices the order confirmation
  await visit(page, `/quotes/${quoteId}`);
  await expectLang(page, lang, 'the accepted quote');
  const invoiceQuote = page.locator('#invoice-quote');
  await expectPresent(invoiceQuote, 'the button #invoice-quote on the accepted quote');
  await shot('accepted quote');
  await submitOk(page, invoiceQuote, 'invoicing the accepted quote');
  const invoiceId = idIn(page, /^\/invoices\/(\d+)$/, 'the invoice draft /invoices/<id>');
  await expectLang(page, lang, 'the invoice draft');
  const draftForm = page.locator(`form[action="/invoices/${invoiceId}"]`);
  await expectPresent(draftForm.locator('select[name=client_id]'), 'the invoice draft form');
  check(
    (await draftForm.locator('select[name=client_id]').inputValue()) === clientId,
    'the invoice draft is not for the client of the quote',
  );
  const draftLines = await draftForm.locator('input[name$="].description"]').evaluateAll((inputs) => inputs.map((i) => i.value));
  check(draftLines.includes(sale.line), `the invoice draft's lines are ${JSON.stringify(draftLines)}, expected the quote's "${sale.line}"`);
  await shot('invoice draft');

  const issue = page.locator('#issue-invoice');
  await expectPresent(issue, 'the button #issue-invoice on the draft');
  await submitOk(page, issue, 'issuing the invoice');
  check(pathname(page) === `/invoices/${invoiceId}`, `after issuing, expected /invoices/${invoiceId}, got ${page.url()}`);
  await expectLang(page, lang, 'the issued invoice');
  const heading = await textOf(page.locator('h1').first());
  const years = [...new Set(['2026', String(new Date().getFullYear())])].join('|');
  const invoiceNumber = heading.match(new RegExp(`\\bF(?:${years})-\\S+`))?.[0];
  check(invoiceNumber !== undefined, `the issued invoice's h1 reads "${heading}", expected a number F${years}-…`);
  const ogm = await textOf(page.locator('#ogm'));
  check(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/.test(ogm), `the structured communication reads "${ogm}", expected +++123/4567/89012+++`);
  check((await page.locator('#issue-invoice').count()) === 0, 'the issued invoice still offers to issue it');
  check((await textOf(page.locator('main'))).includes('1.815,00'), 'the issued invoice does not show the total 1.815,00 of the quote');
  await shot('invoice issued');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-pdf').click()]);
  const failure = await download.failure();
  check(failure === null, `the PDF download failed: ${failure}`);
  const pdfFile = fileName(`invoice ${invoiceNumber}`, 'pdf');
  await download.saveAs(pdfFile);
  const pdf = await readFile(pdfFile);
  check(pdf.subarray(0, 4).toString('latin1') === '%PDF', `the downloaded file starts with ${JSON.stringify(pdf.subarray(0, 8).toString('latin1'))}, not %PDF`);
  check(pdf.length > 1000, `the downloaded PDF has only ${pdf.length} bytes`);
  check(
    download.suggestedFilename().includes(invoiceNumber),
    `the PDF is offered as "${download.suggestedFilename()}", expected a name with ${invoiceNumber}`,
  );
  await shot('invoice after the PDF download');
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

test('a member creates a client and a quote; the client confirms on the public page; the member issues the invoice and downloads its PDF', (kit) =>
  quoteToInvoice(kit, {
    lang: 'fr',
    member: 'ca@demo.ruche.coop',
    otherLocale: 'nl-BE',
    clientName: 'Salle des Fêtes SRL',
    emailDomain: 'client-fr.test',
    street: 'Rue de la Loi 16',
    postcode: '1000',
    city: 'Bruxelles',
    title: 'Concert de printemps',
    line: 'Concert',
    signer: 'Camille Dubois',
    texts: { publicTitle: 'Devis', acceptedBy: 'Accepté par' },
  }),
);

test(
  'the same journey in Dutch',
  (kit) =>
    quoteToInvoice(kit, {
      lang: 'nl',
      member: 'lid@demo.ruche.coop',
      otherLocale: 'fr-BE',
      clientName: 'Feestzaal Vooruit BV',
      emailDomain: 'client-nl.test',
      street: 'Sint-Pietersnieuwstraat 23',
      postcode: '9000',
      city: 'Gent',
      title: 'Voorjaarsconcert',
      line: 'Concert',
      signer: 'Jan Peeters',
      texts: { publicTitle: 'Offerte', acceptedBy: 'Aanvaard door' },
    }),
  { locale: 'nl-BE' },
);

// ---------------------------------------------------------------- payments

// A camt.053.001.02 statement of one credit, as a bank sends it (payments.md §2).
function camtStatement({ iban, sequence, date, reference, cents, payer, text }) {
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>${reference}</MsgId><CreDtTm>${date}T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>${reference}</Id><ElctrncSeqNb>${sequence}</ElctrncSeqNb><CreDtTm>${date}T06:00:00</CreDtTm>
<Acct><Id><IBAN>${iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>
<Ntry><NtryRef>1</NtryRef><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt><AcctSvcrRef>${reference}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<RltdPties><Dbtr><Nm>${payer}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>${text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>
`;
}

// `1.633,50 €` → 163350.
function centsOf(text) {
  const digits = text.replace(/[^0-9,]/g, '');
  const [whole, fraction = '0'] = digits.split(',');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

test('an accountant imports a bank statement and matches its unmatched line by hand', async ({ page, shot }) => {
  await loginAndAccept(page, 'comptable@demo.ruche.coop');
  // An open invoice: its number, what it still owes, the account it is paid into.
  await visit(page, '/invoices?status=issued');
  const row = page.locator('table tbody tr').last();
  await expectPresent(row, 'an issued invoice in the list');
  const link = row.locator('td').first().locator('a');
  const number = await textOf(link);
  const due = centsOf(await textOf(row.locator('td').nth(5)));
  check(due > 0, `invoice ${number} shows nothing due`);
  await submit(page, link);
  const invoicePath = pathname(page);
  const iban = (await textOf(page.locator('#pay-to'))).replace(/\s+/g, '');
  check(/^BE\d{14}$/.test(iban), `the invoice page shows the account "${iban}"`);

  // The client pays the exact amount without any reference: it cannot be matched alone.
  const reference = `JOURNEY-${Date.now()}`;
  const xml = camtStatement({
    iban,
    sequence: 43,
    date: new Date().toISOString().slice(0, 10),
    reference,
    cents: due,
    payer: 'Client pressé',
    text: 'Paiement prestation',
  });
  await visit(page, '/bank');
  await shot('bank statements page');
  const form = formWith(page, 'input[name=file]');
  await form.locator('input[name=file]').setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
  await submitOk(page, form.locator('button[type=submit]'), 'importing the statement');
  check(/^\/bank\/imports\/\d+$/.test(pathname(page)), `after the upload, expected the import's report, got ${page.url()}`);
  const outcome = page.locator('table tbody tr').filter({ hasText: 'non lettré' });
  await expectPresent(outcome.first(), 'the report line of the movement, "non lettré"');
  await shot('import report');

  // The same file again adds nothing.
  await visit(page, '/bank');
  const again = formWith(page, 'input[name=file]');
  await again.locator('input[name=file]').setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
  await submitOk(page, again.locator('button[type=submit]'), 'importing the statement a second time');
  await expectPresent(page.locator('table tbody tr').filter({ hasText: 'déjà connu' }).first(), 'the line "déjà connu" on the second import');

  // In the queue, the movement suggests the invoice by its exact amount; one click matches it.
  await visit(page, '/bank/movements');
  const queued = page.locator('table tbody tr').filter({ hasText: 'Client pressé' }).first();
  await expectPresent(queued, 'the movement of "Client pressé" in the unmatched queue');
  await submit(page, queued.locator('a').first());
  const suggestion = page.locator('table tbody tr').filter({ hasText: number }).first();
  await expectPresent(suggestion, `invoice ${number} among the suggestions`);
  check((await textOf(suggestion)).includes('montant dû exact'), `the suggestion of ${number} does not say "montant dû exact"`);
  await shot('movement with suggestions');
  await submitOk(page, suggestion.locator('button[type=submit]'), 'matching the movement');
  await expectPresent(page.locator('.tag.status-matched').first(), 'the movement marked "lettré"');
  await expectPresent(page.locator('table tbody tr').filter({ hasText: number }).first(), `the payment of ${number} on the movement`);
  await shot('movement matched');

  await visit(page, invoicePath);
  await expectPresent(page.locator('.tag.status-paid').first(), `invoice ${number} marked paid`);
});

test('a member sees the payment, reminder and recovery history of an invoice of their activity', async ({ page, shot }) => {
  await loginAndAccept(page, 'ca@demo.ruche.coop');
  await visit(page, '/activities');
  const activity = page.locator('a', { hasText: 'Studio Lumen' }).first();
  await expectPresent(activity, 'the activity "Studio Lumen" in the member\'s activities');
  await submit(page, activity);
  const activityId = idIn(page, /^\/activities\/(\d+)/, 'the activity page');
  await visit(page, `/activities/${activityId}/invoices`);
  const hrefs = await page.locator('table tbody tr td:first-child a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  check(hrefs.length > 0, 'Studio Lumen has no invoice in its list');
  // The demo put one of Studio Lumen's overdue invoices into recovery (formal notice sent).
  let found = null;
  for (const href of hrefs.slice(0, 40)) {
    await visit(page, href);
    if ((await page.locator('#history tr.history-formal-notice').count()) > 0) {
      found = href;
      break;
    }
  }
  check(found !== null, `none of Studio Lumen's invoices (${hrefs.length}) shows a formal notice in its history`);
  const history = page.locator('#history');
  await expectPresent(history.locator('tr.history-issued').first(), 'the line "Facture émise" in the history');
  const text = await textOf(history);
  check(text.includes('Historique'), `the history section reads "${text.slice(0, 120)}"`);
  check((await history.locator('tbody tr').count()) >= 3, 'the history shows fewer than three events');
  await shot('invoice history seen by the member');
});

test('an accountant runs the reminders, and the reminder is in the outgoing mail', async ({ page, shot }) => {
  await loginAndAccept(page, 'comptable@demo.ruche.coop');
  await visit(page, '/dunning');
  await shot('reminders page');
  const form = formWith(page, 'button[name=mode][value=run]');
  await submitOk(page, form.locator('button[name=mode][value=run]'), 'running the reminders');
  const report = page.locator('#dunning-report');
  await expectPresent(report, 'the report of the run');
  const rows = report.locator('table tbody tr');
  check((await rows.count()) > 0, `the run recorded no reminder: ${(await textOf(report)).slice(0, 300)}`);
  const delivery = await textOf(page.locator('#dunning-delivery'));
  check(/[1-9]\d* /.test(delivery), `the run delivered nothing: "${delivery}"`);
  await shot('report of the run');

  // The same day again: nothing new (the run is idempotent).
  const again = formWith(page, 'button[name=mode][value=run]');
  await submitOk(page, again.locator('button[name=mode][value=run]'), 'running the reminders a second time');
  await expectPresent(page.locator('#dunning-report .empty'), 'the second run saying that nothing is new');

  // Accountants read the outgoing mail (not the password links, which stay with the
  // administrators: Target::ConfidentialMail).
  await visit(page, '/staff/mail');
  const mail = page.locator('table tbody tr').filter({ hasText: 'Rappel de paiement' }).first();
  await expectPresent(mail, 'a reminder ("Rappel de paiement") in the outgoing mail');
  await submit(page, mail.locator('a').first());
  const body = await textOf(page.locator('pre.mail-body'));
  check(/F\d{4}-\d{5}/.test(body), `the reminder's text names no invoice: "${body.slice(0, 200)}"`);
  await shot('reminder in the outgoing mail');
});

test('a member plans a contract against the budget and files a mileage claim, an advisor approves it, the accountant pays both', async ({ page, shot, newPage, fileName }) => {
  await loginAndAccept(page, 'ca@demo.ruche.coop');
  await visit(page, '/activities');
  const activity = page.locator('a', { hasText: 'Studio Lumen' }).first();
  await expectPresent(activity, 'the activity "Studio Lumen" in the member\'s activities');
  await submit(page, activity);
  const activityId = idIn(page, /^\/activities\/(\d+)/, 'the activity page');
  await submit(page, page.locator(`a[href="/activities/${activityId}/contracts"]`).first());
  const before = centsOf(await textOf(page.locator('[data-testid=available]')));
  check(before > 30000, `Studio Lumen has only ${before} cents available`);
  await shot('contracts of the activity');

  // A contract ending before it starts is refused, the field named, nothing reserved.
  // The work day: one of the last months, away from the demo's contracts (the last 30
  // days), so that a rerun on the same demo does not overlap it.
  const today = new Date(Date.now() - (40 + Math.floor(Math.random() * 250)) * 86_400_000).toISOString().slice(0, 10);
  const form = formWith(page, 'button[name=intent][value=sign]');
  await form.locator('input[name=starts_on]').fill(today);
  await form.locator('input[name=ends_on]').fill('2020-01-01');
  await form.locator('input[name=hours]').fill('3,5');
  await form.locator('select[name=pay_basis]').selectOption('budget');
  await form.locator('input[name=amount]').fill('300,00');
  await form.locator('input[name=function]').fill('Photographe de plateau');
  const refused = await Promise.all([page.waitForNavigation(), form.locator('button[name=intent][value=sign]').click()]);
  check(refused[0]?.status() === 422, `a contract ending before it starts answered ${refused[0]?.status()}`);
  await expectPresent(page.locator('#e-ends_on'), 'the error next to the end date');

  // Simulate: the preview shows the employer cost and what the budget keeps.
  const again = formWith(page, 'button[name=intent][value=sign]');
  await again.locator('input[name=ends_on]').fill(today);
  await submitOk(page, again.locator('button[name=intent][value=preview]'), 'simulating the contract');
  const cost = centsOf(await textOf(page.locator('[data-testid=employer-cost]')));
  check(cost > 0 && cost <= 30000, `the simulated employer cost is ${cost} cents for a budget of 30000`);
  await shot('simulated contract');

  // Sign: the contract is signed and its cost reserved in the budget.
  await submitOk(page, formWith(page, 'button[name=intent][value=sign]').locator('button[name=intent][value=sign]'), 'signing the contract');
  const contractId = idIn(page, /^\/contracts\/(\d+)/, 'the contract page');
  await expectPresent(page.locator('p.notice'), 'the notice that the contract is signed');
  await shot('signed contract');
  await visit(page, `/activities/${activityId}/contracts`);
  const after = centsOf(await textOf(page.locator('[data-testid=available]')));
  check(before - after === cost, `the budget went from ${before} to ${after}, not down by the employer cost ${cost}`);

  // The member files a mileage claim on the activity (a trip of the rate table's period).
  await visit(page, `/activities/${activityId}/expenses/new?kind=mileage`);
  const claim = page.locator('form.expense-form');
  await claim.locator('#f-expense_spent_on').fill('2026-03-12');
  await claim.locator('#f-expense_from').fill('Bruxelles');
  await claim.locator('#f-expense_to').fill('Namur');
  await claim.locator('#f-expense_description').fill('Tournage chez le client');
  await claim.locator('#f-expense_km').fill('64');
  await claim.locator('#f-expense_round_trip').check();
  await shot('mileage claim filled');
  await submitOk(page, claim.locator('button[type=submit]'), 'filing the mileage claim');
  const claimId = idIn(page, /^\/expenses\/(\d+)/, 'the claim page');

  // The office's advisor approves it: paid from the budget, in the month's pay.
  const advisor = await newPage();
  await loginAndAccept(advisor, 'conseiller@demo.ruche.coop');
  await visit(advisor, `/expenses/${claimId}`);
  await submitOk(advisor, advisor.locator(`form[action="/expenses/${claimId}/approve"] button[type=submit]`), 'approving the claim');
  const claimText = await textOf(advisor.locator('main'));
  const due = claimText.match(/(\d{2})\/(\d{2})\/(\d{4})[^\d]*RUCHE-PO-(\d+)/);
  check(due !== null, `the approved claim shows no payment date and order: "${claimText.slice(0, 400)}"`);
  const payDate = `${due[3]}-${due[2]}-${due[1]}`;
  const expenseOrder = `RUCHE-PO-${due[4]}`;
  await shot('claim approved', advisor);

  // The accountant runs the pay of the month's pay date: the contract and the claim are in
  // the SEPA file.
  const accountant = await newPage();
  await loginAndAccept(accountant, 'comptable@demo.ruche.coop');
  await visit(accountant, '/pay-runs');
  const run = formWith(accountant, 'input[name=pay_date]');
  await run.locator('input[name=pay_date]').fill(payDate);
  await submitOk(accountant, run.locator('button[type=submit]'), 'running the pay');
  await expectPresent(accountant.locator(`a[href="/contracts/${contractId}"]`).first(), `contract ${contractId} in the pay run`);
  await shot('pay run', accountant);
  const [download] = await Promise.all([accountant.waitForEvent('download'), accountant.locator('[data-testid=sepa]').click()]);
  check((await download.failure()) === null, 'the SEPA download failed');
  const sepaFile = fileName('pay-run-sepa', 'xml');
  await download.saveAs(sepaFile);
  const xml = await readFile(sepaFile, 'utf8');
  check(xml.includes('pain.001.001.09'), 'the downloaded file is not a pain.001.001.09');
  check(xml.includes('<Cd>SALA</Cd>'), 'the SEPA file has no SALA payment group');
  check(xml.includes(expenseOrder), `the SEPA file does not carry the mileage claim's order ${expenseOrder}`);
});

test('an administrator approves last year\'s special report and opens its PDF', async ({ page, shot, fileName }) => {
  await loginAsAdmin(page);
  await visit(page, '/governance');
  await shot('governance hub');
  // The demo closes every past year and leaves last year's report a draft.
  const year = new Date().getFullYear() - 1;
  await visit(page, `/special-reports/${year}`);
  await expectPresent(page.locator('#report-status'), 'the report status line');
  check((await textOf(page.locator('h1').first())).includes(`Rapport spécial ${year}`), `the report page of ${year} has no title`);
  const main = await textOf(page.locator('main'));
  for (const part of ['Cadre légal', 'ES-7', 'Nul ne vote pour plus', 'Sociétaires et activités']) {
    check(main.includes(part), `the report of ${year} does not show "${part}"`);
  }
  await shot('special report draft');
  const approve = page.locator('#approve-report');
  if ((await approve.count()) > 0) {
    const form = formWith(page, '#approve-report');
    await form.locator('textarea[name=gov_signatories]').fill('Léa Benali\nBenoît Bodart');
    await submitOk(page, approve, 'approving the special report');
  }
  const status = await textOf(page.locator('#report-status'));
  check(status.includes('Approuvé par le conseil'), `after approval the status reads "${status}"`);
  check((await page.locator('#approve-report').count()) === 0, 'the frozen report still offers to approve it');
  await shot('special report approved');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-pdf-fr').click()]);
  const failure = await download.failure();
  check(failure === null, `the report PDF download failed: ${failure}`);
  const pdfFile = fileName(`special report ${year}`, 'pdf');
  await download.saveAs(pdfFile);
  const pdf = await readFile(pdfFile);
  check(pdf.subarray(0, 4).toString('latin1') === '%PDF', 'the special report download is not a PDF');
  check(pdf.length > 5000, `the special report PDF has only ${pdf.length} bytes`);
  check(download.suggestedFilename().includes(String(year)), `the PDF is offered as "${download.suggestedFilename()}"`);
});

test('members vote on a resolution of a general assembly, one of them through a proxy; the board closes the vote and sees the raw and effective tallies', async ({ page, shot, newPage }) => {
  // The board prepares a fresh assembly (a month ahead: the default date of the form, more
  // than the 15 days' notice), puts one resolution on its agenda, convenes and opens it.
  await loginAsAdmin(page);
  await visit(page, '/assemblies');
  const title = `AG du parcours ${Date.now()}`;
  const create = formWith(page, 'input[name=ga_title]');
  await create.locator('select[name=ga_kind]').selectOption('ordinary');
  await create.locator('input[name=ga_title]').fill(title);
  await create.locator('input[name=ga_place]').fill('Salle du conseil');
  await submitOk(page, create.locator('button[type=submit]'), 'creating the assembly');
  const id = idIn(page, /^\/assemblies\/(\d+)$/, 'the assembly page');
  check((await textOf(page.locator('h1').first())) === title, `the new assembly's page is not titled "${title}"`);

  const agenda = formWith(page, 'input[name=ga_res_title]');
  await agenda.locator('input[name=ga_res_title]').fill('Adhésion au réseau des coopératives');
  await agenda.locator('textarea[name=ga_res_body]').fill("L'assemblée décide d'adhérer au réseau.");
  await agenda.locator('select[name=ga_res_kind]').selectOption('ordinary');
  await submitOk(page, agenda.locator('[data-testid=add-resolution]'), 'adding the resolution');
  const article = page.locator('#ga-tally article[data-testid^="resolution-"]');
  await expectPresent(article.first(), 'the resolution on the agenda');
  check((await article.count()) === 1, `the new assembly has ${await article.count()} resolutions, expected 1`);
  const rid = (await article.first().getAttribute('data-testid')).replace('resolution-', '');
  await shot('assembly with its agenda');

  await submitOk(page, page.locator('[data-testid=convene]'), 'convening the assembly');
  await expectPresent(page.locator('p.notice').filter({ hasText: 'convocations' }), 'the notice that the convocations are sent');
  const status = page.locator('[data-testid=assembly-status]');
  check((await textOf(status)) === 'Convoquée', `after convening, the assembly is "${await textOf(status)}"`);
  await submitOk(page, page.locator('[data-testid=open-assembly]'), 'opening the assembly');
  await submitOk(page, page.locator(`[data-testid="open-${rid}"]`), 'opening the vote on the resolution');
  check((await textOf(page.locator(`[data-testid="status-${rid}"]`))) === 'Vote ouvert', 'the resolution\'s vote is not open');
  await shot('vote open');

  // The future proxy holder opens their vote page (present online): their own block names them.
  const holder = await newPage();
  await loginAndAccept(holder, 'lid@demo.ruche.coop');
  await visit(holder, '/my/assemblies');
  await submit(holder, holder.locator(`[data-testid="vote-link-${id}"]`));
  check(pathname(holder) === `/assemblies/${id}/vote`, `the vote link leads to ${holder.url()}`);
  const ownBlocks = holder.locator(`[data-testid^="block-${rid}-"]`);
  await expectPresent(ownBlocks.first(), 'the proxy holder\'s own vote block');
  check((await ownBlocks.count()) === 1, `the proxy holder has ${await ownBlocks.count()} vote blocks before the proxy`);
  const holderId = (await ownBlocks.first().getAttribute('data-testid')).replace(`block-${rid}-`, '');

  // A member gives their proxy to them on their own vote page, and may no longer vote.
  const principal = await newPage();
  await loginAndAccept(principal, MEMBER);
  await visit(principal, `/assemblies/${id}/vote`);
  const give = formWith(principal, '[data-testid=give-proxy]');
  await give.locator('select[name=ga_holder]').selectOption(holderId);
  await submitOk(principal, give.locator('[data-testid=give-proxy]'), 'giving the proxy');
  await expectPresent(principal.locator('[data-testid=delegated]'), 'the notice that the proxy is given');
  check((await principal.locator(`[data-testid^="vote-${rid}-"]`).count()) === 0, 'the member who gave their proxy can still vote');
  await shot('proxy given', principal);

  // The proxy holder votes for themself and for the principal.
  await visit(holder, `/assemblies/${id}/vote`);
  const blocks = holder.locator(`[data-testid^="block-${rid}-"]`);
  check((await blocks.count()) === 2, `with the proxy the holder has ${await blocks.count()} vote blocks, expected 2`);
  const principalTestId = (await blocks.evaluateAll((all) => all.map((b) => b.getAttribute('data-testid')))).find(
    (t) => t !== `block-${rid}-${holderId}`,
  );
  const principalId = principalTestId.replace(`block-${rid}-`, '');
  // (lid@ reads the pages in Dutch, their language.)
  const principalBlock = await textOf(holder.locator(`[data-testid="${principalTestId}"]`));
  check(/procuration|volmacht|proxy/i.test(principalBlock), `the principal's block does not say it is a proxy: "${principalBlock}"`);
  await shot('proxy holder sees two blocks', holder);
  await castVote(holder, rid, holderId, 'yes');
  await castVote(holder, rid, principalId, 'yes');
  const castForPrincipal = await textOf(holder.locator(`[data-testid="cast-${rid}-${principalId}"]`));
  check(/Pour|Voor|For/.test(castForPrincipal), `the vote cast for the principal reads "${castForPrincipal}"`);
  await shot('proxy holder voted twice', holder);

  // Another member votes against.
  const other = await newPage();
  await loginAndAccept(other, 'ca@demo.ruche.coop');
  await visit(other, `/assemblies/${id}/vote`);
  const otherBlock = other.locator(`[data-testid^="block-${rid}-"]`);
  await expectPresent(otherBlock.first(), 'the other member\'s vote block');
  const otherId = (await otherBlock.first().getAttribute('data-testid')).replace(`block-${rid}-`, '');
  await castVote(other, rid, otherId, 'no');

  // The board sees the live tally, closes the vote and reads the kept tally and result.
  await visit(page, `/assemblies/${id}`);
  const liveRaw = await tallyRow(page, rid, 'raw');
  check(liveRaw.yes > 0 && liveRaw.no > 0, `the live raw tally reads ${JSON.stringify(liveRaw)}`);
  await submitOk(page, page.locator(`[data-testid="close-${rid}"]`), 'closing the vote');
  await expectPresent(page.locator('p.notice').filter({ hasText: 'vote est clôturé' }), 'the notice that the vote is closed');
  const tally = page.locator(`[data-testid="tally-${rid}"]`);
  await expectPresent(tally, 'the kept tally of the resolution');
  const table = await textOf(tally);
  check(table.includes('Voix brutes') && table.includes('Voix effectives'), `the tally shows no raw and effective lines: "${table}"`);
  const raw = await tallyRow(page, rid, 'raw');
  const effective = await tallyRow(page, rid, 'effective');
  check(JSON.stringify(raw) === JSON.stringify(liveRaw), `the kept raw tally ${JSON.stringify(raw)} differs from the live one ${JSON.stringify(liveRaw)}`);
  check(raw.abstain === 0 && effective.abstain === 0, 'abstentions were counted although nobody abstained');
  check(effective.yes <= raw.yes && effective.no <= raw.no, `the effective votes ${JSON.stringify(effective)} exceed the raw ones ${JSON.stringify(raw)}`);
  const result = await textOf(page.locator(`[data-testid="status-${rid}"]`));
  const expected = effective.yes > effective.no ? 'Adoptée' : 'Rejetée';
  check(result === expected, `the resolution is "${result}" with effective votes ${JSON.stringify(effective)}, expected "${expected}"`);
  check((await page.locator(`[data-testid="close-${rid}"]`).count()) === 0, 'the closed vote still offers to close it');
  await shot('vote closed with its tally');
});

test(
  'a visitor searches the public catalogue in Dutch and sends a contact request; the trainer sees the lead',
  async ({ page, shot, newPage }) => {
    // No login: the public catalogue, in the visitor's language (a Dutch-speaking browser).
    await visit(page, '/catalogue');
    check((await htmlLang(page)) === 'nl', `the catalogue is in "${await htmlLang(page)}" for a Dutch-speaking visitor`);
    await page.locator('#catalogue-q').fill('opleidingen');
    await submit(page, page.locator('#catalogue-search'));
    const results = page.locator('ul[data-testid=catalogue-results] a[href^="/catalogue/"]');
    await expectPresent(results.first(), 'the trainings found for "opleidingen"');
    const titles = await results.evaluateAll((links) => links.map((a) => a.textContent.trim()));
    // Stemming: the plural finds the singular ("Opleiding …").
    const wanted = titles.find((t) => t.startsWith('Opleiding boekhouding voor freelancers'));
    check(wanted !== undefined, `"opleidingen" did not find "Opleiding boekhouding voor freelancers" among: ${titles.join(' | ')}`);
    await shot('catalogue search in Dutch');
    await submit(page, results.filter({ hasText: 'Opleiding boekhouding voor freelancers' }).first());
    check(/^\/catalogue\/\d+$/.test(pathname(page)), `the result leads to ${page.url()}`);

    // The contact form: a prospective client asks for a session for their team.
    const visitor = `Sofie Peeters ${Date.now()}`;
    const form = page.locator('#contact-form');
    await form.locator('input[name=contact_name]').fill(visitor);
    await form.locator('input[name=contact_email]').fill('sofie.peeters@voorbeeld.be');
    await form.locator('input[name=contact_organisation]').fill('Vzw De Werkplaats');
    await form.locator('textarea[name=contact_message]').fill('Kunt u deze opleiding in het voorjaar voor ons team van acht mensen geven?');
    await submitOk(page, page.locator('#contact-send'), 'sending the contact request');
    await expectPresent(page.locator('#contact-sent'), 'the confirmation that the request was sent');
    await shot('contact request sent');

    // The trainer (lid@) finds the lead among theirs.
    const trainer = await newPage({ locale: 'nl-BE' });
    await loginAndAccept(trainer, 'lid@demo.ruche.coop');
    await visit(trainer, '/trainings/leads');
    const lead = trainer.locator('table[data-testid=leads] tr').filter({ hasText: visitor });
    await expectPresent(lead, `the lead of ${visitor} on the trainer's leads`);
    check((await textOf(lead)).includes('Opleiding boekhouding voor freelancers'), `the lead does not name the training: "${await textOf(lead)}"`);
    await shot('the trainer sees the lead', trainer);
  },
  { locale: 'nl-BE' },
);

test('a member applies for a 0 % loan, the advisor gives an opinion and the committee approves it', async ({ page, shot, newPage }) => {
  // membre@ holds an activity of the Brussels office, whose advisor is conseiller@.
  await loginAndAccept(page, MEMBER);
  await visit(page, '/loans');
  await submit(page, page.locator('#loan-apply'));
  check(pathname(page) === '/loans/new', `the apply button leads to ${page.url()}`);
  const form = page.locator('#loan-form');
  const activity = form.locator('select[name=loan_activity] option:not([value=""])');
  await expectPresent(activity.first(), 'an activity to borrow for', 'attached');
  await form.locator('select[name=loan_activity]').selectOption(await activity.first().getAttribute('value'));
  await form.locator('select[name=loan_purpose]').selectOption('equipment');
  await form.locator('input[name=loan_amount]').fill('5.000,00');
  await form.locator('input[name=loan_instalments]').fill('24');
  await form.locator('textarea[name=loan_justification]').fill("Achat d'un projecteur et d'une sonorisation pour les spectacles de l'automne.");
  for (const box of await form.locator('input[name=loan_criteria]').all()) await box.check();
  await submitOk(page, page.locator('#loan-submit'), 'applying for the loan');
  const id = idIn(page, /^\/loans\/(\d+)$/, 'the new loan\'s page');
  const schedule = await textOf(page.locator('[data-testid=loan-schedule]')).catch(() => '');
  // 5,000 € over 24 months: 23 × 208,33 and 208,41 on the last (employment.md §6.1).
  check(schedule === '' || (schedule.includes('208,33') && schedule.includes('208,41')), `the proposed schedule reads "${schedule.slice(0, 300)}"`);
  await shot('loan application filed');

  // The advisor of the activity's office gives a favourable opinion.
  const advisor = await newPage();
  await loginAndAccept(advisor, 'conseiller@demo.ruche.coop');
  await visit(advisor, `/loans/${id}`);
  const opinion = advisor.locator('#loan-opinion-form');
  await expectPresent(opinion, 'the advisor\'s opinion form');
  await opinion.locator('input[name=loan_opinion_kind][value=favourable]').check();
  for (const box of await opinion.locator('input[name=loan_criteria_ok]').all()) await box.check();
  await opinion.locator('textarea[name=loan_opinion]').fill('Activité aux recettes régulières ; le matériel servira chaque mois.');
  await submitOk(advisor, advisor.locator('#loan-opinion-submit'), 'giving the opinion');

  // The committee (a board member) approves.
  const board = await newPage();
  await loginAndAccept(board, 'ca@demo.ruche.coop');
  await visit(board, `/loans/${id}`);
  const decision = board.locator('#loan-decision-form');
  await expectPresent(decision, 'the committee\'s decision form');
  await decision.locator('input[name=loan_decision][value=approve]').check();
  await submitOk(board, board.locator('#loan-decision-submit'), 'approving the loan');
  const status = await textOf(board.locator('#loan-status'));
  check(/accord|approuv|toegekend|goedgekeurd|approved|granted/i.test(status), `after the committee's approval the loan is "${status}"`);
  await shot('loan approved by the committee', board);
});

test('a visitor searches the guide, in French and in Dutch, and reads an article', async ({ page, shot, newPage }) => {
  // No login. A plural and no accents: "indemnites kilometriques" finds the article on mileage.
  await visit(page, '/guide');
  await page.locator('#guide-q').fill('indemnites kilometriques');
  await submit(page, page.locator('#guide-search-submit'));
  const results = page.locator('ol#guide-results a[href^="/guide/"]');
  await expectPresent(results.first(), 'the articles found for "indemnites kilometriques"');
  await shot('guide search in French');
  const first = await textOf(results.first());
  await submit(page, results.first());
  const title = await textOf(page.locator('h1#guide-article-title'));
  check(title.length > 0 && first.includes(title.slice(0, 20)), `the result "${first}" opened an article titled "${title}"`);
  await shot('the article');

  // A Dutch-speaking visitor: a part of a compound word finds the compound.
  const visitor = await newPage({ locale: 'nl-BE' });
  await visit(visitor, '/guide/search?q=vergoeding');
  const found = visitor.locator('ol#guide-results a[href^="/guide/"]');
  await expectPresent(found.first(), 'the Dutch articles found for "vergoeding"');
  const titles = await found.evaluateAll((links) => links.map((a) => a.textContent.trim()));
  check(titles.some((t) => /vergoeding/i.test(t)), `"vergoeding" found no article about a "…vergoeding": ${titles.join(' | ')}`);
  // Members-only articles never reach a visitor's results.
  check((await visitor.locator('#guide-results [data-audience=members]').count()) === 0, 'a members-only article is offered to a visitor');
  await shot('guide search in Dutch', visitor);
});

// ---------------------------------------------------------------- issue 8: school

test('a member registers for a workshop of the school of cooperation', async ({ page, shot }) => {
  await loginAndAccept(page, 'lid@demo.ruche.coop');
  await visit(page, '/cooperative-life');
  await submit(page, page.locator('a[href="/school"]').first());
  check(pathname(page) === '/school', `the cooperative life page led to ${pathname(page)}, not /school`);
  // A session with places left, not the member's yet.
  const row = page.locator('#school-upcoming-table tbody tr').filter({ has: page.locator('button.school-register') }).first();
  await expectPresent(row, 'an upcoming session with places left and a "register" button');
  const session = await row.getAttribute('data-session');
  const leftBefore = parseInt(await textOf(row.locator('.school-left')), 10);
  await shot('the school of cooperation');
  await submit(page, row.locator('button.school-register'));
  await expectPresent(page.locator('#school-notice'), 'the notice of the registration');
  const mine = page.locator(`#school-mine-table tr[data-session="${session}"]`);
  await expectPresent(mine, `session ${session} under "my registrations"`);
  const leftAfter = parseInt(await textOf(mine.locator('.school-left')), 10);
  check(leftAfter === leftBefore - 1, `places left went from ${leftBefore} to ${leftAfter}, not one less`);
  await shot('registered, under my registrations');
  // Registering twice is impossible: the session's row no longer offers "register".
  const again = page.locator(`#school-upcoming-table tr[data-session="${session}"] button.school-register`);
  check((await again.count()) === 0, 'the session still offers "register" after registering');
});

// ---------------------------------------------------------------- issue 8: recommendations

// The open cycle of the demo (the newest), from the cooperative life page.
async function openRecommendationCycle(page) {
  await visit(page, '/cooperative-life');
  await submit(page, page.locator('a[href="/recommendations"]').first());
  check(pathname(page) === '/recommendations', `the cooperative life page led to ${pathname(page)}, not /recommendations`);
  const first = page.locator('#reco-cycles tbody tr a').first();
  await expectPresent(first, 'a recommendation cycle');
  await submit(page, first);
  return idIn(page, /^\/recommendations\/cycles\/(\d+)$/, 'a cycle\'s page');
}

test('a member writes a recommendation and is shown its near-duplicate', async ({ page, shot }) => {
  await loginAndAccept(page, 'lid@demo.ruche.coop');
  const cycle = await openRecommendationCycle(page);
  const rowsBefore = await page.locator('#reco-list tbody tr').count();
  const form = page.locator('#reco-write-form');
  await expectPresent(form, 'the form to write a recommendation (the cycle takes proposals)');
  await form.locator('input[name=reco_title]').fill('Des panneaux solaires sur le toit du siège');
  await form.locator('textarea[name=reco_text]').fill('Installer des panneaux solaires sur le toit du siège et produire notre électricité.');
  await form.locator('select[name=reco_language]').selectOption('fr');
  await submitOk(page, page.locator('#reco-check'), 'checking the recommendation');
  // Before anything is saved, ruche shows the recommendations that say nearly the same.
  const similar = page.locator('#reco-similar .reco-similar-item');
  await expectPresent(similar.first(), 'the near-duplicates of the text, before saving');
  const titles = await similar.evaluateAll((items) => items.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
  check(titles.some((t) => /panneaux solaires sur le toit/i.test(t)), `the near-duplicates shown are: ${titles.join(' | ')}`);
  check(titles.every((t) => /\d+ %/.test(t)), `each near-duplicate shows its score: ${titles.join(' | ')}`);
  await expectPresent(page.locator('#reco-save-anyway'), 'the button to save it anyway');
  await expectPresent(page.locator('button.reco-support-instead').first(), 'a button to support an existing one instead');
  const rowsAfter = await page.locator('#reco-list tbody tr').count();
  check(rowsAfter === rowsBefore, `the check saved something: ${rowsBefore} recommendations before, ${rowsAfter} after (cycle ${cycle})`);
  await shot('a near-duplicate shown before saving');
});

test('a moderator consolidates two recommendations', async ({ page, shot, newPage }) => {
  await loginAndAccept(page, 'participation@demo.ruche.coop');
  await openRecommendationCycle(page);
  await submit(page, page.locator('#reco-moderation'));
  // The French solar pair of ca@ and lid@ is a cluster of near-duplicates.
  const cluster = page.locator('.reco-cluster').filter({ hasText: /panneaux solaires sur le toit de l/i }).first();
  await expectPresent(cluster, 'the cluster of the two "panneaux solaires" recommendations');
  const boxes = cluster.locator('input[name=reco_source]');
  check((await boxes.count()) === 2, `the solar cluster holds ${await boxes.count()} recommendations, not 2`);
  const originals = await boxes.evaluateAll((inputs) => inputs.map((i) => i.value));
  await shot('clusters of near-duplicates for the moderator');
  await cluster.locator('input[name=reco_title]').fill('Des panneaux solaires sur le siège et sur l\'atelier');
  await cluster.locator('textarea[name=reco_text]').fill('Installer des panneaux solaires sur le toit du siège et sur celui de l\'atelier partagé.');
  await submitOk(page, cluster.locator('button.reco-propose'), 'proposing the consolidation');
  const k = idIn(page, /^\/recommendations\/consolidations\/(\d+)$/, 'the consolidation proposal');
  check(/attente|wacht|await/i.test(await textOf(page.locator('#reco-consolidation-status'))), 'the proposal does not await the consents');

  // Each author consents, from their consent page.
  const board = await newPage();
  await loginAndAccept(board, 'ca@demo.ruche.coop');
  await visit(board, '/recommendations/consents');
  await submit(board, board.locator(`#reco-consents a[href="/recommendations/consolidations/${k}"]`));
  await submitOk(board, board.locator('#reco-consent'), 'ca@ consenting');
  const member = await newPage();
  await loginAndAccept(member, 'lid@demo.ruche.coop');
  await visit(member, `/recommendations/consolidations/${k}`);
  await submitOk(member, member.locator('#reco-consent'), 'lid@ consenting');
  // The last consent carried it out: the result shows both originals as its provenance.
  await expectPresent(member.locator('#reco-result a'), 'the result of the consolidation');
  await submit(member, member.locator('#reco-result a'));
  const origins = member.locator('#reco-provenance .reco-origin a');
  await expectPresent(origins.first(), 'the provenance of the result');
  const linked = await origins.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const id of originals) {
    check(linked.includes(`/recommendations/${id}`), `the provenance links ${linked.join(', ')}, not /recommendations/${id}`);
  }
  const authors = await textOf(member.locator('#reco-authors'));
  check(authors.split(',').length === 2, `the result's authors are "${authors}", not the two authors of the originals`);
  await shot('the consolidated recommendation with its provenance', member);
});

// ---------------------------------------------------------------- issue 8: places

// A day some weeks ahead, Monday to Saturday, that changes from run to run (the demo keeps
// the journey's room free, but an earlier run may have booked it).
function placesDay(offset) {
  const d = new Date(Date.now() + (35 + ((Math.floor(Date.now() / 60_000) + offset) % 120)) * 86_400_000);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function fillPlacesBooking(page, day, partnerToo) {
  const form = page.locator('#places-book-form');
  await expectPresent(form, 'the booking form of the space');
  await form.locator('input[name=places_day]').fill(day);
  await form.locator('input[name=places_from]').fill('10:00');
  await form.locator('input[name=places_to]').fill('11:30');
  if (partnerToo) {
    await form.locator('select[name=places_for]').selectOption('partner');
    await form.locator('select[name=places_booking_partner]').selectOption({ index: 0 });
  }
  await form.locator('input[name=places_purpose]').fill('Réunion du partenaire');
  await form.locator('input[name=places_persons]').fill('6');
  return form;
}

test("a partner's space booking", async ({ page, shot }) => {
  await loginAndAccept(page, 'lieux@demo.ruche.coop');
  await visit(page, '/places');
  const room = page.locator('a[href^="/places/spaces/"]').filter({ hasText: 'Salle Verte' }).first();
  await expectPresent(room, 'the meeting room "Salle Verte" in the list of spaces');
  await shot('the sites and spaces of the network');
  await submit(page, room);
  const space = idIn(page, /^\/places\/spaces\/(\d+)$/, 'the space\'s page');
  // Book for a partner; should an earlier run hold the day, try the next one.
  let day = '';
  let partner = '';
  for (let attempt = 0; attempt < 5 && day === ''; attempt += 1) {
    const candidate = placesDay(attempt);
    const form = await fillPlacesBooking(page, candidate, true);
    partner = await textOf(form.locator('select[name=places_booking_partner] option:checked'));
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('#places-book-submit').click()]);
    if (response !== null && response.ok()) day = candidate;
    else check(response?.status() === 409, `booking answered ${response?.status()}: ${await textOf(page.locator('[role=alert]').first()).catch(() => '')}`);
  }
  check(day !== '', 'no free day found for the booking in five tries');
  check(pathname(page) === `/places/spaces/${space}`, `after booking, at ${page.url()}`);
  await expectPresent(page.locator('#places-notice'), 'the notice of the booking with its price');
  const slot = page.locator(`[data-testid=places-calendar] [data-day="${day}"] .places-slot`).filter({ hasText: '10:00–11:30' });
  await expectPresent(slot, `the booking 10:00–11:30 in the calendar on ${day}`);
  check((await textOf(slot)).includes(partner), `the calendar's slot "${await textOf(slot)}" does not name the partner ${partner}`);
  await shot('the partner booking in the week calendar');
  // The same slot again: refused, naming the booking it overlaps.
  const again = await fillPlacesBooking(page, day, true);
  const [refused] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), again.locator('#places-book-submit').click()]);
  check(refused?.status() === 409, `the overlapping booking answered ${refused?.status()}, not 409`);
  const reason = page.locator('#e-places_from');
  await expectPresent(reason, 'the reason of the refusal under the start time');
  const said = await textOf(reason);
  check(/10:00/.test(said) && /11:30/.test(said), `the refusal "${said}" does not name the slot 10:00–11:30`);
  await shot('a second booking on the same slot refused with the reason');
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
