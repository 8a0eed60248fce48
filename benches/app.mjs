// Browser benchmarks of annotask, run by `cargo xtask bench` (which builds everything,
// starts the servers and reads the JSON this writes). Headless Debian Chromium, driven by
// Playwright; every time is taken inside the page with the Performance API.
//
// Environment:
//   APP_URL    annotask-server serving the release build with demo data (the real app)
//   SITE_DIR   that build's folder: the static copy of the form is written there
//   PAGES_URL  the bench pages: harness/ (annotask's components, trunk release build) and
//              rqb/ (react-querybuilder 8, React production build, esbuild bundle)
//   OUT        where to write the results (JSON)
//   RUNS       runs per figure (default 10; the figures are medians)
//   ONLY       comma-separated parts to run: nav, filter, picker (default: all)
//
// Each figure and its reference are measured in the same browser, in alternating order
// run by run, so noise from the shared machine falls on both.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { benchTree, RQB_FIELDS } from './tree.mjs';

const APP_URL = need('APP_URL').replace(/\/$/, '');
const PAGES_URL = need('PAGES_URL').replace(/\/$/, '');
const SITE_DIR = need('SITE_DIR');
const OUT = need('OUT');
const RUNS = Math.max(1, Number(process.env.RUNS || 10));
const ONLY = (process.env.ONLY || 'nav,filter,picker').split(',').map((s) => s.trim());
const MANAGER = 'manager@demo.annotask';
const PASSWORD = 'annotask-demo';
const PICKER_MEMBERS = 10_000;
// Typed into the picker (and the bare input), then erased: 10 keystrokes a run, each
// changing the list (10,000 → a few matches → back to all).
const PICKER_KEYS = ['m', 'a', 'r', 'i', 'a', 'Backspace', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
const VIEWPORT = { width: 1280, height: 900 };

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through \`cargo xtask bench\``);
  return v;
}

function log(msg) {
  process.stderr.write(`bench(app): ${msg}\n`);
}

let browser;

// ---------------------------------------------------------------------------------------
// In-page helpers (stringified into the pages).

/** Resolves after the next frame has been painted: rAF, then a task after the frame. */
const AFTER_PAINT = `() => new Promise((resolve) => requestAnimationFrame(() => {
  const c = new MessageChannel(); c.port1.onmessage = () => resolve(); c.port2.postMessage(0);
}))`;

/**
 * Arms the timing of the next keystroke: from the keydown's timestamp to (a) the first task
 * after the input event's handlers and their microtasks, with style and layout forced (the
 * work a keystroke costs: script, DOM update, style, layout), and (b) the next painted frame
 * (which also waits for the display's next 60 Hz frame, up to 16.7 ms more). The result
 * lands in window.__key.
 */
function armKey() {
  window.__key = null;
  let down = null;
  document.addEventListener('keydown', (e) => { down = e.timeStamp; }, { capture: true, once: true });
  document.addEventListener('input', () => {
    const c = new MessageChannel();
    c.port1.onmessage = () => {
      void document.body.offsetHeight; // style + layout, now
      const work = performance.now() - down;
      requestAnimationFrame(() => {
        const c2 = new MessageChannel();
        c2.port1.onmessage = () => { window.__key = { work, paint: performance.now() - down }; };
        c2.port2.postMessage(0);
      });
    };
    c.port2.postMessage(0);
  }, { once: true });
}

/**
 * One more keystroke, untimed, under Chromium's tracing: where its time goes on the page's
 * main thread (script, style and layout, paint), summed over the top-level trace events
 * until the next frame is painted. Tracing slows the page, so it never runs during a timed
 * keystroke; it only explains them.
 */
async function traceKey(page, key) {
  await page.evaluate(eval(AFTER_PAINT));
  await browser.startTracing(page, { categories: ['devtools.timeline'] });
  // Wait for the frame after the input without forcing a layout (which would count as script).
  await page.evaluate((afterPaint) => {
    window.__painted = false;
    document.addEventListener('input', () => eval(afterPaint)().then(() => { window.__painted = true; }), { once: true });
  }, AFTER_PAINT);
  await page.keyboard.press(key);
  await page.waitForFunction(() => window.__painted, null, { timeout: 30_000, polling: 10 });
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const down = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  if (!down) return null;
  const kinds = {
    EventDispatch: 'script', FunctionCall: 'script', RunMicrotasks: 'script', TimerFire: 'script',
    FireAnimationFrame: 'script', UpdateLayoutTree: 'layout', Layout: 'layout',
    PrePaint: 'paint', Paint: 'paint', Layerize: 'paint',
  };
  const main = events
    .filter((e) => e.pid === down.pid && e.tid === down.tid && e.ph === 'X' && e.ts >= down.ts && kinds[e.name])
    .sort((a, b) => a.ts - b.ts);
  const out = { script: 0, layout: 0, paint: 0 };
  // Layout and paint wherever they happen (a script that reads a size forces a layout);
  // script as its outermost events, less the layout and paint inside them.
  let until = -1;
  for (const e of main) {
    const kind = kinds[e.name];
    if (kind !== 'script') {
      out[kind] += e.dur / 1000;
      if (e.ts < until) out.script -= e.dur / 1000;
    } else if (e.ts >= until) {
      out.script += e.dur / 1000;
      until = e.ts + e.dur;
    }
  }
  return out;
}

async function pressTimed(page, key) {
  await page.evaluate(armKey);
  await page.keyboard.press(key);
  return (await page.waitForFunction(() => window.__key, null, { timeout: 30_000, polling: 10 })).jsonValue();
}

// ---------------------------------------------------------------------------------------
// Navigation to an interactive create-task form, beside a static copy of the same form.

/** Notes, from the document's start, when the form can be used: the name field and an
 * enabled Create button are in the page. The same test runs on the app and the copy. */
function interactiveProbe() {
  window.__interactive = null;
  const ready = () => {
    const name = document.getElementById('task-name');
    const create = document.querySelector('button.task-form__create');
    return name && create && !name.disabled && !create.disabled;
  };
  const observer = new MutationObserver(() => {
    if (window.__interactive === null && ready()) {
      window.__interactive = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

async function timeNavigation(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(() => window.__interactive, null, { timeout: 60_000, polling: 20 });
  return handle.jsonValue();
}

async function navigation() {
  // Sign in once as a person would, with "Keep me signed in", and reuse that storage.
  const setup = await browser.newContext({ viewport: VIEWPORT });
  const page = await setup.newPage();
  await page.goto(`${APP_URL}/signin`);
  await page.getByLabel('Email').fill(MANAGER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/signin'), { timeout: 30_000 });
  const token = (await (await page.request.post(`${APP_URL}/token?default`, {
    data: { type: 'user_credentials', username: MANAGER, password: PASSWORD },
  })).json()).id_token;
  const headers = { Authorization: `Bearer ${token}` };
  const projects = await (await page.request.get(`${APP_URL}/api/v1/projects`, { headers })).json();
  const project = projects.find((p) => p.name === 'demo');
  const datasets = await (await page.request.post(`${APP_URL}/api/v1/datasets/query`, {
    headers,
    data: { filter: { $and: [{ name: 'images' }] }, page: 0, pageSize: 10, resource: 'datasets', context: { projects: [project.id] } },
  })).json();
  const formUrl = `${APP_URL}/projects/${project.id}/datasets/${datasets.items[0].id}/tasks/new`;
  const storageState = await setup.storageState();

  // The floor: the form as the app rendered it, saved as plain HTML with the same style
  // sheets and no script, served by the same server.
  await page.addInitScript(interactiveProbe);
  await timeNavigation(page, formUrl);
  const html = await page.evaluate(() => {
    const doc = document.documentElement.cloneNode(true);
    doc.querySelectorAll('script, link[rel=modulepreload], link[rel=preload]').forEach((e) => e.remove());
    return '<!DOCTYPE html>\n' + doc.outerHTML;
  });
  writeFileSync(join(SITE_DIR, 'bench-static-form.html'), html);
  const staticUrl = `${APP_URL}/bench-static-form.html`;
  await setup.close();

  const out = { url: formUrl, app_cold_ms: [], app_warm_ms: [], static_cold_ms: [], static_warm_ms: [] };
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? ['app', 'static'] : ['static', 'app'];
    for (const kind of order) {
      // Cold: a new browser profile (empty HTTP and code caches), signed in.
      const ctx = await browser.newContext({ viewport: VIEWPORT, storageState });
      await ctx.addInitScript(interactiveProbe);
      const url = kind === 'app' ? formUrl : staticUrl;
      out[`${kind}_cold_ms`].push(await timeNavigation(await ctx.newPage(), url));
      // Warm: the same profile again (the hashed files come from the cache).
      out[`${kind}_warm_ms`].push(await timeNavigation(await ctx.newPage(), url));
      await ctx.close();
    }
    log(`navigation run ${run + 1}/${RUNS}: app ${out.app_cold_ms.at(-1).toFixed(0)} ms, static ${out.static_cold_ms.at(-1).toFixed(0)} ms`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The filter builder with 200 conditions in 20 groups, beside react-querybuilder.

async function filterBuilder() {
  const tree = benchTree();
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const out = {
    conditions: tree.conditions,
    groups: tree.groups,
    annotask_render_ms: [],
    rqb_render_ms: [],
    annotask_edit_ms: [],
    rqb_edit_ms: [],
    annotask_edit_paint_ms: [],
    rqb_edit_paint_ms: [],
    annotask_render_script_ms: [],
    rqb_render_script_ms: [],
    annotask_edit_trace: [],
    rqb_edit_trace: [],
    annotask_edit_trace_no_json: [],
  };
  const impls = {
    annotask: {
      url: `${PAGES_URL}/harness/`,
      ready: () => !!window.wasmBindings,
      mount: `(dql) => window.wasmBindings.mount_filter_builder(dql)`,
      arg: tree.dql,
      count: () => document.querySelectorAll('[role=group][aria-label^="Condition "]').length,
      // The edit reached the query: the builder's DQL view shows it.
      edited: () => [...document.querySelectorAll('textarea')].some((t) => t.value.includes('edit-me.jpgx')),
    },
    rqb: {
      url: `${PAGES_URL}/rqb/`,
      ready: () => !!window.benchReady,
      mount: `([fields, tree]) => window.rqb.mount(fields, tree)`,
      arg: [RQB_FIELDS, tree.rqb],
      count: () => document.querySelectorAll('.rule').length,
      // The edit reached the (controlled) query state and came back into the input.
      edited: () => [...document.querySelectorAll('input')].some((i) => i.value === 'edit-me.jpgx'),
    },
  };
  // The closest race of the bench, so a full run gives it at least 20 runs.
  const runs = RUNS >= 10 ? Math.max(RUNS, 20) : RUNS;
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? ['annotask', 'rqb'] : ['rqb', 'annotask'];
    for (const name of order) {
      const impl = impls[name];
      const page = await ctx.newPage();
      await page.goto(impl.url);
      await page.waitForFunction(impl.ready, null, { timeout: 60_000 });
      const t = await page.evaluate(async ([mount, arg, afterPaint]) => {
        const paint = eval(afterPaint);
        await paint();
        const t0 = performance.now();
        eval(mount)(arg);
        // Both mounts are synchronous (Leptos builds the DOM at once; React under
        // flushSync), so this splits script + DOM building from style, layout and paint.
        const script = performance.now() - t0;
        await paint();
        return { total: performance.now() - t0, script, elements: document.querySelectorAll('#mount *').length };
      }, [impl.mount, impl.arg, AFTER_PAINT]);
      const count = await page.evaluate(impl.count);
      if (count !== tree.conditions) throw new Error(`${name} rendered ${count} conditions, not ${tree.conditions}`);
      out[`${name}_render_ms`].push(t.total);
      out[`${name}_render_script_ms`].push(t.script);
      out[`${name}_elements`] = t.elements;
      // One edit: a keystroke at the end of group 10's first condition's value.
      await page.evaluate(() => {
        const input = [...document.querySelectorAll('input')].find((i) => i.value === 'edit-me.jpg');
        input.scrollIntoView({ block: 'center' });
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      });
      await page.evaluate(eval(AFTER_PAINT));
      const key = await pressTimed(page, 'x');
      await page.waitForFunction(impl.edited, null, { timeout: 10_000 });
      out[`${name}_edit_ms`].push(key.work);
      out[`${name}_edit_paint_ms`].push(key.paint);
      out[`${name}_edit_trace`].push(await traceKey(page, 'y'));
      if (name === 'annotask') {
        // The same, with the builder's JSON view hidden: what the DQL text costs an edit.
        await page.addStyleTag({ content: '.filter-json { display: none !important; }' });
        out.annotask_edit_trace_no_json.push(await traceKey(page, 'z'));
      }
      if (name === 'annotask') {
        out.annotask_json_chars = await page.evaluate(() => Math.max(...[...document.querySelectorAll('textarea')].map((t) => t.value.length)));
      }
      await page.close();
    }
    log(`filter builder run ${run + 1}/${runs}: annotask ${out.annotask_render_ms.at(-1).toFixed(0)} ms, react-querybuilder ${out.rqb_render_ms.at(-1).toFixed(0)} ms`);
  }
  await ctx.close();
  return out;
}

// ---------------------------------------------------------------------------------------
// The assignee picker over 10,000 members: keystroke to updated list.

async function picker() {
  const ctx = await browser.newContext({ viewport: VIEWPORT });
  const out = {
    members: PICKER_MEMBERS,
    keys: PICKER_KEYS,
    mount_ms: [],
    keystroke_ms: [],
    keystroke_paint_ms: [],
    bare_keystroke_ms: [],
    bare_keystroke_paint_ms: [],
    keystroke_trace: [],
    list_sizes: [],
  };
  for (let run = 0; run < RUNS; run++) {
    const page = await ctx.newPage();
    await page.goto(`${PAGES_URL}/harness/`);
    await page.waitForFunction(() => !!window.wasmBindings, null, { timeout: 60_000 });
    out.mount_ms.push(await page.evaluate(async ([n, afterPaint]) => {
      const paint = eval(afterPaint);
      await paint();
      const t0 = performance.now();
      window.wasmBindings.mount_picker(n);
      await paint();
      return performance.now() - t0;
    }, [PICKER_MEMBERS, AFTER_PAINT]));
    const order = run % 2 === 0 ? ['picker', 'bare'] : ['bare', 'picker'];
    for (const which of order) {
      await page.evaluate((id) => document.getElementById(id).focus(), which === 'picker' ? 'bench-assignees' : 'bare');
      await page.evaluate(eval(AFTER_PAINT));
      for (const key of PICKER_KEYS) {
        const t = await pressTimed(page, key);
        if (which === 'picker') {
          out.keystroke_ms.push(t.work);
          out.keystroke_paint_ms.push(t.paint);
          // What the list shows now: how many members match (every option says it).
          out.list_sizes.push(await page.evaluate(() => {
            const first = document.querySelector('#bench-assignees-listbox [role=option]');
            return first ? Number(first.getAttribute('aria-setsize')) : 0;
          }));
        } else {
          out.bare_keystroke_ms.push(t.work);
          out.bare_keystroke_paint_ms.push(t.paint);
        }
      }
    }
    // Where a keystroke's time goes (traced, untimed): the picker again, typing "m".
    await page.evaluate(() => document.getElementById('bench-assignees').focus());
    out.keystroke_trace.push(await traceKey(page, 'm'));
    await page.close();
    log(`picker run ${run + 1}/${RUNS}: last keystrokes ${out.keystroke_ms.slice(-PICKER_KEYS.length).map((v) => v.toFixed(1)).join(' ')} ms`);
  }
  // The list must have followed the typing: all, then fewer, then all again.
  const sizes = out.list_sizes.slice(0, PICKER_KEYS.length);
  if (!(sizes[0] > sizes[4] && sizes[9] === PICKER_MEMBERS && sizes[4] > 0)) {
    throw new Error(`the picker's list did not follow the keystrokes: ${sizes.join(', ')}`);
  }
  await ctx.close();
  return out;
}

// ---------------------------------------------------------------------------------------
// Run (after every definition above).

browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // The end-to-end suite's flags (tests/e2e/playwright.config.ts).
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const results = { chromium: browser.version(), runs: RUNS };
try {
  if (ONLY.includes('nav')) results.navigation = await navigation();
  if (ONLY.includes('filter')) results.filter_builder = await filterBuilder();
  if (ONLY.includes('picker')) results.picker = await picker();
} finally {
  await browser.close();
}
writeFileSync(OUT, JSON.stringify(results, null, 2));
log(`wrote ${OUT}`);
