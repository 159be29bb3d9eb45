// Swagger UI as a person uses it, in headless Chromium (playwright-core, no
// browser download: it drives the Chromium Debian installs). Run by
// scripts/e2e-swagger.sh, which starts the server and passes:
//   BILIM_BASE_URL     the server, e.g. http://127.0.0.1:41234
//   BILIM_ADMIN_TOKEN  an admin access token
//   CHROMIUM           the browser (default /usr/bin/chromium)
//   SCREENSHOTS        a directory for a picture of the page after each step
// Checks: the page loads the document; Authorize takes a bearer token for
// admin_token; Execute on GET /api/v1/admin/users and then on GET
// /api/v1/admin/admins (which once shared the operationId `list`) each sends
// exactly one request, to its own path, with the token, and shows 200.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = required("BILIM_BASE_URL").replace(/\/$/, "");
const token = required("BILIM_ADMIN_TOKEN");
const screenshots = process.env.SCREENSHOTS ?? "target/openapi-tools/swagger-ui";
mkdirSync(screenshots, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const failures = [];
let passed = 0;
function check(ok, message) {
  console.log(`${ok ? "ok  " : "FAIL"} ${message}`);
  if (ok) passed += 1;
  else failures.push(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // CI runs as root, where Chromium's sandbox cannot start.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
let shot = 0;
const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
async function picture(name) {
  shot += 1;
  await page.screenshot({ path: `${screenshots}/${String(shot).padStart(2, "0")}-${name}.png`, fullPage: false });
}

// Every API request the page sends, as the browser sends it.
const sent = [];
page.on("request", (request) => {
  const url = new URL(request.url());
  if (url.pathname.startsWith("/api/v1/")) {
    sent.push({ method: request.method(), path: url.pathname, authorization: request.headers()["authorization"] });
  }
});
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(error.message));

try {
  // 1. The page loads and renders the document.
  const documentLoaded = page.waitForResponse((r) => r.url() === `${base}/api-docs/openapi.json`);
  const response = await page.goto(`${base}/swagger-ui/`);
  check(response?.status() === 200, `GET /swagger-ui/ answers 200 (got ${response?.status()})`);
  check((await documentLoaded).status() === 200, "the page fetched /api-docs/openapi.json");
  const title = page.locator(".swagger-ui .information-container .title");
  await title.waitFor({ timeout: 20_000 });
  check((await title.innerText()).includes("Bilim API"), `the title reads "Bilim API"`);
  const blocks = await page.locator(".opblock").count();
  check(blocks > 50, `the page lists the operations (${blocks})`);
  await picture("loaded");

  // 2. Authorize: paste the admin token into admin_token.
  await page.locator(".auth-wrapper button.authorize").click();
  const scheme = page.locator(".modal-ux .auth-container").filter({ hasText: "admin_token" });
  await scheme.locator("input").fill(token);
  await scheme.locator("button.modal-btn.authorize").click();
  const logout = scheme.locator("button.modal-btn", { hasText: "Logout" });
  await logout.waitFor({ timeout: 5_000 }).catch(() => {});
  check(await logout.isVisible(), "admin_token shows as authorized (a Logout button)");
  await picture("authorized");
  await page.locator(".modal-ux button.close-modal").click();

  // 3. Execute each operation on its own and watch what goes out.
  for (const path of ["/api/v1/admin/users", "/api/v1/admin/admins"]) {
    const block = page
      .locator(".opblock.opblock-get")
      .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
    check((await block.count()) === 1, `one GET ${path} block on the page`);
    await block.locator(".opblock-summary").first().click();
    await block.locator("button.try-out__btn").click();
    const before = sent.length;
    await block.locator("button.execute").click();
    const live = block.locator(".live-responses-table tbody .response-col_status").first();
    await live.waitFor({ timeout: 15_000 }).catch(() => {});
    await page.waitForTimeout(500);
    const mine = sent.slice(before);
    const shown = (await live.isVisible()) ? (await live.innerText()).trim() : "nothing";
    const requestUrl = block.locator(".request-url pre").first();
    const shownUrl = (await requestUrl.isVisible()) ? (await requestUrl.innerText()).trim() : "nothing";
    check(
      mine.length === 1,
      `Execute on GET ${path} sent one request: ${JSON.stringify(mine.map((r) => `${r.method} ${r.path}`))}`,
    );
    check(mine.every((r) => r.method === "GET" && r.path === path), `... to GET ${path} itself`);
    check(mine.every((r) => r.authorization === `Bearer ${token}`), "... with the admin token");
    check(new URL(shownUrl, base).pathname === path, `... and the block shows its own Request URL (${shownUrl})`);
    check(shown.startsWith("200"), `... and the page shows 200 (shows ${shown})`);
    await picture(path.replaceAll("/", "_").replace(/^_/, ""));
    // Fold it again so the next block is found in a clean state.
    await block.locator(".opblock-summary").first().click();
  }
  check(pageErrors.length === 0, `no script errors on the page ${JSON.stringify(pageErrors)}`);
} catch (error) {
  failures.push(String(error));
  console.log(`FAIL ${error}`);
  await picture("error").catch(() => {});
} finally {
  await browser.close();
}

console.log(`pictures of each step in ${screenshots}`);
console.log(`swagger-ui: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
