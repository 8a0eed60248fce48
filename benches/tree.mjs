// The query both filter builders render: 20 groups (alternately "all of" and "any of") of
// 10 conditions each, 200 conditions under one root AND group, over the item fields and with
// the kinds of value editors a real query has (text, number, date, boolean, list, exists).
// Made twice from one description, as annotask's DQL and as react-querybuilder's rule tree,
// so both render the same tree.

/** One condition in both shapes: [dql clause, rqb rule]. `g` and `c` vary the values. */
function condition(g, c) {
  const n = g * 10 + c;
  switch (c) {
    case 0: {
      // The condition the edit benchmark types into (group 10's first is `edit-me.jpg`).
      const name = g === 9 ? 'edit-me.jpg' : `img_${String(n).padStart(6, '0')}.jpg`;
      return [{ name }, { field: 'name', operator: '=', value: name }];
    }
    case 1:
      return [{ 'metadata.system.size': { $gte: 1000 + n } }, { field: 'metadata.system.size', operator: '>=', value: 1000 + n }];
    case 2:
      return [{ 'metadata.system.width': { $lt: 4000 - n } }, { field: 'metadata.system.width', operator: '<', value: 4000 - n }];
    case 3:
      return [{ dir: `/folder${(n % 3) + 1}` }, { field: 'dir', operator: '=', value: `/folder${(n % 3) + 1}` }];
    case 4:
      return [
        { 'metadata.system.mimetype': { $in: ['image/jpeg', 'image/png'] } },
        { field: 'metadata.system.mimetype', operator: 'in', value: 'image/jpeg,image/png' },
      ];
    case 5:
      return [{ hidden: false }, { field: 'hidden', operator: '=', value: false }];
    case 6:
      return [{ 'metadata.user.camera': { $ne: 'phone' } }, { field: 'metadata.user.camera', operator: '!=', value: 'phone' }];
    case 7: {
      const day = String((n % 28) + 1).padStart(2, '0');
      return [
        { createdAt: { $gte: `2024-06-${day}T00:00:00.000Z` } },
        { field: 'createdAt', operator: '>=', value: `2024-06-${day}T00:00` },
      ];
    }
    case 8:
      return [{ filename: `/folder1/*_${n}.jpg` }, { field: 'filename', operator: 'endsWith', value: `_${n}.jpg` }];
    default:
      return [{ 'metadata.system.height': { $exists: true } }, { field: 'metadata.system.height', operator: 'notNull', value: '' }];
  }
}

export const GROUPS = 20;
export const PER_GROUP = 10;

/** `{ dql: string, rqb: RuleGroupType, conditions, groups }` */
export function benchTree() {
  const dqlGroups = [];
  const rqbGroups = [];
  for (let g = 0; g < GROUPS; g++) {
    const op = g % 2 === 0 ? 'and' : 'or';
    const pairs = Array.from({ length: PER_GROUP }, (_, c) => condition(g, c));
    dqlGroups.push({ [`$${op}`]: pairs.map((p) => p[0]) });
    rqbGroups.push({ combinator: op, rules: pairs.map((p) => p[1]) });
  }
  const dql = JSON.stringify({ filter: { $and: dqlGroups }, page: 0, pageSize: 1000, resource: 'items' });
  return { dql, rqb: { combinator: 'and', rules: rqbGroups }, conditions: GROUPS * PER_GROUP, groups: GROUPS };
}

/** The react-querybuilder field list matching the DQL fields above. */
export const RQB_FIELDS = [
  { name: 'name', label: 'Name' },
  { name: 'metadata.system.size', label: 'Size (bytes)', inputType: 'number' },
  { name: 'metadata.system.width', label: 'Width', inputType: 'number' },
  { name: 'dir', label: 'Folder' },
  { name: 'metadata.system.mimetype', label: 'MIME type' },
  { name: 'hidden', label: 'Hidden', valueEditorType: 'checkbox' },
  { name: 'metadata.user.camera', label: 'camera' },
  { name: 'createdAt', label: 'Created', inputType: 'datetime-local' },
  { name: 'filename', label: 'Path' },
  { name: 'metadata.system.height', label: 'Height', inputType: 'number' },
];
