import { test, expect, type Page } from '@playwright/test';
import { signIn } from './support/session';
import {
  CONTRACT_EXAMPLES,
  FilterBuilderPage,
  canonical,
  demoDataset,
  serverCount,
} from './support/filter-builder';
import { Api } from './support/task-form';

/** Signs in and opens the builder in the create-task form. */
async function openBuilder(page: Page) {
  await signIn(page);
  const ids = await demoDataset(page);
  const builder = new FilterBuilderPage(page);
  await builder.open(ids);
  return { builder, ids };
}

/** How each contract example is built by pointing and typing. */
const BUILD: Array<(b: FilterBuilderPage) => Promise<void>> = [
  // 1. f.add('annotated', True); f.sort_by('filename')
  async (b) => {
    const row = await b.addCondition(b.items);
    await b.pickField(row, 'annot', 'Annotated annotated');
    await expect(row.getByLabel('Value')).toHaveValue('true');
    await b.addSortKey('file', /^File path filename/, 'Ascending');
  },
  // 2. annotationStatus approved, join type box, sort createdAt descending
  async (b) => {
    const row = await b.addCondition(b.items);
    await b.pickField(row, 'status', /^Annotation status/);
    await b.operator(row, 'contains');
    await b.value(row, 'approved');
    await b.page.getByRole('button', { name: 'Add annotation condition' }).click();
    const annotation = b.lastCondition(b.annotations);
    await b.pickField(annotation, 'type', /^Annotation type/);
    await b.value(annotation, 'box');
    await b.addSortKey('created', /^Created createdAt/, 'Descending');
  },
  // 3. OR on two folders: the top-level $or of the SDK
  async (b) => {
    await b.addGroup(b.items);
    const or = b.group(/^Any of \(OR\) group/, b.items);
    const first = b.lastCondition(or);
    await b.pickField(first, 'folder', /^Folder dir/);
    await b.value(first, '/folderName1');
    const second = await b.addCondition(or);
    await b.pickField(second, 'dir', /^Folder dir/);
    await b.value(second, '/folderName2');
  },
  // 4. join: label in [dog, cat]
  async (b) => {
    await b.page.getByRole('button', { name: 'Add annotation condition' }).click();
    const row = b.lastCondition(b.annotations);
    await b.pickField(row, 'label', /^Label label/);
    await b.operator(row, 'is one of');
    await b.chips(row, ['dog', 'cat']);
  },
  // 5. remaining task items: refs $match {id in [TASK], metadata.status does not exist}
  async (b) => {
    await b.addCondition(b.items);
    // Named by position: the entries added below are conditions too.
    const row = b.items.getByRole('group', { name: 'Condition 3 of 3' });
    await b.pickField(row, 'refs', /^Task references/);
    await expect(row.getByLabel('Operator').first()).toHaveValue('match');
    const entry = row.getByRole('group', { name: /^All of \(AND\) group/ });
    const id = await b.addCondition(entry);
    await b.pickField(id, 'id', /^Task or assignment id/);
    await b.operator(id, 'is one of');
    await b.chips(id, ['TASK']);
    const status = await b.addCondition(entry);
    await b.pickField(status, 'status', /^Status metadata\.status/);
    await b.operator(status, 'does not exist');
  },
  // 6. exists / gt / lte / nin / gte / globs
  async (b) => {
    let row = await b.addCondition(b.items);
    await b.pickField(row, 'any user', /^Any user metadata/);
    await expect(row.getByLabel('Operator')).toHaveValue('exists');
    row = await b.addCondition(b.items);
    await b.pickField(row, 'height', /^Height/);
    await b.operator(row, '> greater than');
    await b.value(row, '100');
    row = await b.addCondition(b.items);
    await b.pickField(row, 'width', /^Width/);
    await b.operator(row, '≤ at most');
    await b.value(row, '50');
    row = await b.addCondition(b.items);
    await b.pickField(row, 'name', /^Name name/);
    await b.operator(row, 'is none of');
    await b.chips(row, ['a.jpg', 'b.jpg']);
    row = await b.addCondition(b.items);
    await b.pickField(row, 'created', /^Created createdAt/);
    await b.operator(row, '≥ at or after');
    await b.value(row, '2024-01-01T00:00', 'Value (UTC)');
    row = await b.addCondition(b.items);
    await b.pickField(row, 'mime', /^MIME type/);
    await b.operator(row, 'matches a glob');
    await b.value(row, 'image*');
    row = await b.addCondition(b.items);
    await b.pickField(row, 'filename', /^File path filename/);
    await b.operator(row, 'matches a glob');
    await b.value(row, '*.jpg');
  },
];

for (const [i, example] of CONTRACT_EXAMPLES.entries()) {
  test(`contract example ${i + 1} is built by pointing and typing`, async ({ page }) => {
    const { builder } = await openBuilder(page);
    await BUILD[i](builder);
    await builder.expectDql(example);
  });
}

test('each contract example pasted as DQL shows as a tree and prints back', async ({ page }) => {
  const { builder } = await openBuilder(page);
  const shapes: Array<(b: FilterBuilderPage) => Promise<void>> = [
    async (b) => {
      await expect(b.group('All of (AND) group, 3 conditions', b.items)).toBeVisible();
      await expect(b.page.getByRole('combobox', { name: 'Sort by' })).toHaveValue('File path');
    },
    async (b) => {
      await expect(b.annotations).toBeVisible();
      await expect(b.annotations.getByRole('combobox', { name: 'Field' })).toHaveValue('Annotation type');
      await expect(b.page.getByLabel('Direction')).toHaveValue('descending');
    },
    async (b) => {
      await expect(b.group('Any of (OR) group, 2 conditions', b.items)).toBeVisible();
      await expect(b.group('All of (AND) group, 2 conditions', b.items)).toHaveCount(2);
    },
    async (b) => {
      await expect(b.annotations.getByRole('list', { name: 'Values in the list' }).getByRole('listitem')).toHaveText([
        'dog✕',
        'cat✕',
      ]);
      await expect(b.annotations.getByRole('button', { name: 'Remove cat' })).toBeVisible();
    },
    async (b) => {
      const refs = b.items.getByRole('group', { name: 'Condition 3 of 3' });
      await expect(refs.getByRole('combobox', { name: 'Field' }).first()).toHaveValue('Task references');
      await expect(refs.getByRole('button', { name: 'Remove TASK' })).toBeVisible();
    },
    async (b) => {
      await expect(b.group('All of (AND) group, 9 conditions', b.items)).toBeVisible();
      await expect(b.items.getByLabel('Value (UTC)')).toHaveValue('2024-01-01T00:00');
    },
  ];
  for (const [i, example] of CONTRACT_EXAMPLES.entries()) {
    await builder.paste(example);
    await shapes[i](builder);
    await expect(page.getByText('Kept exactly as written')).toHaveCount(0);
    // Leaving the text shows it in the builder's layout, the same DQL.
    await builder.json.blur();
    await builder.expectDql(example);
  }
});

test('DQL the tree cannot show stays as a read-only clause; bad JSON points at its place', async ({ page }) => {
  const { builder } = await openBuilder(page);
  const unknown =
    '{"filter": {"$and": [{"hidden": false}, {"createdAt": {"$near": 5}}]}, "page": 0, "pageSize": 1000, "resource": "items"}';
  await builder.paste(unknown);
  const raw = page.getByRole('group', { name: 'Clause the builder cannot edit' });
  await expect(raw).toContainText('{"createdAt":{"$near":5}}');
  await expect(raw).toContainText('This clause cannot be edited or run here');
  await builder.json.blur();
  await builder.expectDql(unknown);

  await builder.paste('{\n  "filter": {"a": 1,}\n}');
  await expect(page.getByRole('alert').filter({ hasText: 'Line 2, column 21' })).toBeVisible();
  await expect(builder.json).toHaveAttribute('aria-invalid', 'true');
  await builder.expectAccessible();
  await page.getByRole('button', { name: 'Show the place' }).click();
  await expect(builder.json).toBeFocused();
});

test('the count shown is the server count for the same query, with the first names', async ({ page }) => {
  const { builder, ids } = await openBuilder(page);
  const row = await builder.addCondition(builder.items);
  await builder.pickField(row, 'folder', /^Folder dir/);
  await builder.value(row, '/folder1');
  const width = await builder.addCondition(builder.items);
  await builder.pickField(width, 'width', /^Width/);
  await builder.operator(width, '≥ at least');
  await builder.value(width, '1920');
  // The DQL view shows tree edits after a pause in typing.
  await expect(builder.json).toHaveValue(/"\$gte": 1920/);
  const query = JSON.parse(await builder.json.inputValue());
  const expected = await serverCount(page, ids.datasetId, ids.token, query);
  expect(expected).toBeGreaterThan(0);
  expect(await builder.waitForCount()).toBe(expected);
  await expect(page.getByText(/^First: img_\d+\./)).toBeVisible();
  // One count on the page: the builder adds none of its own beside the form's.
  await expect(page.getByText(/items? match(es)?\.?$/)).toHaveCount(0);

  // An incomplete condition stops the count instead of asking the server.
  const empty = await builder.addCondition(builder.items);
  await builder.pickField(empty, 'height', /^Height/);
  await expect(builder.count).toHaveText('Finish the filter to see how many items match.');
  await expect(page.getByText(/^First: /)).toHaveCount(0);
  await builder.value(empty, 'tall');
  await empty.getByLabel('Value').blur();
  await expect(empty.getByText('Enter a number.')).toBeVisible();
  await expect(empty.getByLabel('Value')).toHaveAttribute('aria-invalid', 'true');
  await builder.expectAccessible();
});

test('a nested query is built with the keyboard alone', async ({ page }) => {
  const { builder } = await openBuilder(page);
  const keyboard = page.keyboard;
  // Start from the items filter's "Add group" (the SDK's top-level OR).
  await page.getByRole('radio', { name: 'Filter' }).focus();
  await builder.tabTo('Add group');
  await keyboard.press('Enter');
  // The focus is in the new group's condition: pick the folder field by typing.
  await expect(page.getByRole('combobox', { name: 'Field' }).first()).toBeFocused();
  await keyboard.type('folder');
  await keyboard.press('Enter');
  await keyboard.press('Tab'); // operator
  await keyboard.press('Tab'); // value
  await keyboard.type('/folder1');
  // A second folder in the same OR group.
  await builder.tabTo('Add condition');
  await keyboard.press('Enter');
  await keyboard.type('fold');
  // The list offers "Folder", then the typed text as a path of its own.
  await keyboard.press('ArrowDown');
  await keyboard.press('ArrowUp');
  await keyboard.press('Enter');
  await keyboard.press('Tab');
  await keyboard.press('Tab');
  await keyboard.type('/folder2');
  // Move it above the first with Alt+Shift+↑.
  await keyboard.press('Alt+Shift+ArrowUp');
  const or = builder.group(/^Any of \(OR\) group/, builder.items);
  await expect(or.getByRole('group', { name: 'Condition 1 of 2' }).getByLabel('Value')).toBeFocused();
  // A nested AND group inside the OR group: width above 1000 and PNGs.
  await builder.tabTo('Add group');
  await keyboard.press('Enter');
  await keyboard.type('width');
  await keyboard.press('Enter');
  await keyboard.press('Tab');
  await keyboard.type('>'); // the select's type-ahead: "> greater than"
  await keyboard.press('Tab');
  await keyboard.type('1000');
  await builder.tabTo('Add condition');
  await keyboard.press('Enter');
  await keyboard.type('mime');
  await keyboard.press('Enter');
  await keyboard.press('Tab');
  await keyboard.press('Tab');
  await keyboard.type('image/png');
  await builder.expectDql(
    '{"filter": {"$or": [{"dir": "/folder2"}, {"dir": "/folder1"}, {"$and": [{"metadata.system.width": {"$gt": 1000}}, {"metadata.system.mimetype": "image/png"}]}], "$and": [{"hidden": false}, {"type": "file"}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  );
  await expect(builder.group('Any of (OR) group, 3 conditions', builder.items)).toBeVisible();
  expect(await builder.waitForCount()).toBeGreaterThan(0);
});

test('a QA task with a filter counts what the task will get: the filter and the parent clause', async ({ page }) => {
  await signIn(page);
  const ids = await (await Api.signIn(page)).demoIds();
  const { token } = await demoDataset(page);
  const builder = new FilterBuilderPage(page);
  await builder.open(ids, `?type=qa&parent=${ids.labelingTaskId}`);
  const row = await builder.addCondition(builder.items);
  await builder.pickField(row, 'annot', 'Annotated annotated');
  await expect(builder.json).toHaveValue(/"annotated": true/);
  const filter = JSON.parse(await builder.json.inputValue());
  // The builder's query has no parent clause; the task's query adds it (as the SDK does).
  const parentClause = {
    'metadata.system.refs': {
      $match: { id: ids.labelingTaskId, type: 'task', metadata: { status: { $exists: true } } },
    },
  };
  expect(JSON.stringify(filter)).not.toContain('metadata.system.refs');
  const task = { ...filter, filter: { $and: [...filter.filter.$and, parentClause] } };
  const expected = await serverCount(page, ids.datasetId, token, task);
  const filterOnly = await serverCount(page, ids.datasetId, token, filter);
  expect(expected).toBeLessThan(filterOnly);
  expect(await builder.waitForCount()).toBe(expected);
  await expect(page.getByText(/items? match(es)?\.?$/)).toHaveCount(0);
});

test('each node has named buttons, and the focus stays with what they act on', async ({ page }) => {
  const { builder } = await openBuilder(page);
  const first = builder.items.getByRole('group', { name: 'Condition 1 of 2' });
  for (const name of ['Move condition up', 'Move condition down', 'Duplicate condition', 'Delete condition']) {
    await expect(first.getByRole('button', { name, exact: true })).toHaveCount(1);
  }
  await expect(first.getByRole('button', { name: 'Move condition up' })).toBeDisabled();
  // Duplicating puts the focus on the copy's Duplicate button.
  await first.getByRole('button', { name: 'Duplicate condition' }).click();
  const copy = builder.items.getByRole('group', { name: 'Condition 2 of 3' });
  await expect(copy.getByRole('button', { name: 'Duplicate condition' })).toBeFocused();
  // Deleting puts it on the Delete button of the condition now in its place.
  await copy.getByRole('button', { name: 'Delete condition' }).click();
  const second = builder.items.getByRole('group', { name: 'Condition 2 of 2' });
  await expect(second.getByRole('button', { name: 'Delete condition' })).toBeFocused();
  // Alt+Shift+↑ moves a condition and keeps the focus in the control it was in.
  await second.getByRole('combobox', { name: 'Field' }).focus();
  await page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(
    builder.items.getByRole('group', { name: 'Condition 1 of 2' }).getByRole('combobox', { name: 'Field' }),
  ).toHaveValue('Type');
  await expect(
    builder.items.getByRole('group', { name: 'Condition 1 of 2' }).getByRole('combobox', { name: 'Field' }),
  ).toBeFocused();
  await builder.expectDql(
    '{"filter": {"$and": [{"type": "file"}, {"hidden": false}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  );
});

test('the builder has no axe violations, with the field list open and nested groups', async ({ page }) => {
  const { builder } = await openBuilder(page);
  await builder.paste(CONTRACT_EXAMPLES[4]);
  await builder.json.blur();
  await builder.addGroup(builder.group(/^All of \(AND\) group, 3 conditions/, builder.items));
  await builder.expectAccessible();
  const field = builder.lastCondition(builder.items).getByRole('combobox', { name: 'Field' });
  await field.fill('meta');
  await expect(page.getByRole('listbox', { name: 'Field options' })).toBeVisible();
  await builder.expectAccessible();
  await field.press('Escape');
  await expect.poll(async () => canonical(await builder.json.inputValue())).toContain('"$or"');
});

test('one edit among 200 conditions in 20 groups updates the tree at once, and the DQL view after a pause in typing', async ({ page }) => {
  const { builder } = await openBuilder(page);
  const groups = Array.from({ length: 20 }, (_, g) => {
    const conditions = Array.from({ length: 10 }, (_, c) => {
      switch (c % 5) {
        case 0:
          return { 'metadata.system.size': { $gt: g * 100 + c } };
        case 1:
          return { name: `img_${g}_${c}.jpg` };
        case 2:
          return { dir: { $in: ['/folder1', '/folder2'] } };
        case 3:
          return { createdAt: { $gte: '2024-01-01T00:00:00.000Z' } };
        default:
          return { annotated: true };
      }
    });
    return g % 2 === 0 ? { $or: conditions } : { $and: conditions };
  });
  await builder.paste(JSON.stringify({ filter: { $and: groups }, page: 0, pageSize: 1000, resource: 'items' }));
  await expect(builder.items.getByRole('group', { name: /^Condition \d+ of 10$/ })).toHaveCount(200);
  // Ten edits, each timed from the keystroke: until its handler returns (the query is
  // written); until the tree's update is done and laid out (the next task, after the
  // effects that follow the edit, with style and layout forced: what a keystroke costs);
  // and until the DQL view shows it, which it does once typing pauses (250 ms).
  const timing = await page.evaluate(async () => {
    const input = [...document.querySelectorAll<HTMLInputElement>('.filter-builder input')].find(
      (i) => i.value === 'img_10_1.jpg',
    )!;
    const textarea = document.querySelector<HTMLTextAreaElement>('.filter-builder textarea')!;
    const nextTask = () =>
      new Promise<void>((r) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => r();
        channel.port2.postMessage(0);
      });
    const handler: number[] = [];
    const tree: number[] = [];
    const dql: number[] = [];
    for (let edit = 0; edit < 10; edit++) {
      const text = `img_edited_${edit}.jpg`;
      const start = performance.now();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      handler.push(performance.now() - start);
      await nextTask();
      void document.body.offsetHeight; // style and layout, now
      tree.push(performance.now() - start);
      while (!textarea.value.includes(text)) {
        if (performance.now() - start > 5000) throw new Error(`the DQL view never showed ${text}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      dql.push(performance.now() - start);
    }
    const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    return { handler: median(handler), tree: median(tree), dql: median(dql) };
  });
  console.log(
    `filter builder, 200 conditions in 20 groups, one edit (median of 10): handler ` +
      `${timing.handler.toFixed(1)} ms, tree updated and laid out ${timing.tree.toFixed(1)} ms, ` +
      `DQL view caught up ${timing.dql.toFixed(1)} ms after the edit`,
  );
  await expect(builder.json).toHaveValue(/img_edited_9\.jpg/);
  // Sanity bounds only; the benchmark keeps the real figure. The DQL view waits for the
  // pause in typing, then shows the edit.
  expect(timing.tree).toBeLessThan(1000);
  expect(timing.dql).toBeGreaterThanOrEqual(250);
  expect(timing.dql).toBeLessThan(2000);
});

test('conditions and groups can also be dragged by their grip', async ({ page }) => {
  const { builder } = await openBuilder(page);
  await builder.paste(
    '{"filter": {"$and": [{"hidden": false}, {"type": "file"}, {"$or": [{"dir": "/folder1"}]}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  );
  await builder.json.blur();
  // Dragging needs source and target on screen: bring the tree to the top.
  await page.getByRole('heading', { name: 'Items where' }).evaluate((e) => e.scrollIntoView());
  const root = builder.group('All of (AND) group, 3 conditions', builder.items);
  const type = root.getByRole('group', { name: 'Condition 2 of 3' });
  const hidden = root.getByRole('group', { name: 'Condition 1 of 3' });
  // Type above Hidden: drop on Hidden's upper half.
  await type.getByTitle('Drag to move').dragTo(hidden, { targetPosition: { x: 200, y: 5 } });
  await builder.expectDql(
    '{"filter": {"$and": [{"type": "file"}, {"hidden": false}, {"$or": [{"dir": "/folder1"}]}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  );
  // Hidden into the OR group: drop on the group's header.
  const or = builder.group(/^Any of \(OR\) group/, builder.items);
  await root
    .getByRole('group', { name: 'Condition 2 of 3' })
    .getByTitle('Drag to move')
    .dragTo(or.getByLabel('Match'));
  await builder.expectDql(
    '{"filter": {"$and": [{"type": "file"}, {"$or": [{"dir": "/folder1"}, {"hidden": false}]}]}, "page": 0, "pageSize": 1000, "resource": "items"}',
  );
});
