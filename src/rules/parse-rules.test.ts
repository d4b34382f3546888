import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../fixtures/rules/testing.ts';
import { DEFAULT_RULES_FILE, loadRules } from './load-rules.ts';
import { parseRules } from './parse-rules.ts';
import { formatProblem, RulesFileError } from './rules-file-error.ts';

const THRESHOLDS = DEFAULT_THRESHOLDS;
const fixture = (name: string) => new URL(`../../fixtures/rules/${name}`, import.meta.url).pathname;

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadRules(file, THRESHOLDS);
  } catch (error) {
    if (error instanceof RulesFileError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error(`${file} loaded without problems`);
}

describe('the default rules file', () => {
  it('loads, with thresholds read by name', async () => {
    const ruleSet = await loadRules(undefined, { ...THRESHOLDS, AUTO_REFUND_MAX: 45 });
    expect(ruleSet.source).toBe(DEFAULT_RULES_FILE);
    expect(ruleSet.rules.map((rule) => rule.id)).toEqual([
      'lookup-check-after-promise',
      'not-delivered-reship',
      'claim-lost',
      'claim-late',
      'not-delivered-refund',
      'delivered-twice-return-label',
      'damaged-claim',
      'returned-refund',
      'returned-manager',
      'status-unknown-after-promise',
      'contacts-above-target',
      'case-overdue',
    ]);
    const refund = ruleSet.rules.find((rule) => rule.id === 'not-delivered-refund');
    expect(refund?.when.value).toEqual({ below: { value: 45, name: 'AUTO_REFUND_MAX' }, currency: 'EUR' });
    expect(ruleSet.carriers).toEqual({});
  });
});

describe('a file with mistakes', () => {
  it('reports every problem at its line and column, in file order, saying how to fix it', async () => {
    const file = fixture('several-mistakes.yaml');
    expect(await problemsOf(file)).toEqual([
      `${file}:4:30: carriers.laposte.scan_gap_hours: expected hours: a number above 0`,
      `${file}:9:16: rules[0].when.trigger: "chek" is not a trigger: expected one of lookup, check, sweep`,
      `${file}:10:23: rules[0].when.verdict[1]: "lated" is not a verdict: expected one of on_time, at_risk, late, lost_suspected, delivered_on_time, delivered_late, delivered_twice, returned, cancelled, unknown`,
      `${file}:11:23: rules[0].when.value.below: "AUTO_REFUND_MAXX" is not a number or a threshold: expected a number or one of AUTO_REFUND_MAX, CONTACTS_TARGET, RESOLUTION_TARGET_DAYS`,
      `${file}:14:13: rules[0].then[0].at: unknown unit "busines day": expected business days, days, hours or minutes`,
      `${file}:16:5: rules[1].when: missing: add when: with at least one matcher`,
      `${file}:16:9: rules[1].id: duplicate id "late-reship" (also rules[0]): give each rule its own id`,
      `${file}:18:5: rules[1].whne: unknown key: expected one of id, description, when, then`,
      `${file}:22:25: rules[1].then[0].params.type: "stolen" is not a claim type (lost, late, damaged)`,
      expect.stringMatching(new RegExp(`^${file}:23:17: rules\\[1\\]\\.then\\[0\\]\\.reason: unknown placeholder \\{days_lat\\}: expected one of \\{verdict\\}, .*\\{days_late\\}`)),
      `${file}:24:5: rules[2].description: missing: add a description: what the rule is for`,
      `${file}:24:9: rules[2].id: expected an id: lower-case letters, digits and dashes, such as late-reship`,
      `${file}:25:11: rules[2].when: a rule needs at least one matcher: trigger, verdict, status, carrier, channel, value, age, contacts, case_age, not, unless`,
      `${file}:26:11: rules[2].then: give at least one decision`,
    ]);
  });

  it('stops at YAML syntax, pointing at the line', async () => {
    const file = fixture('yaml-syntax-error.yaml');
    const problems = await problemsOf(file);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(new RegExp(`^${file}:\\d+:\\d+: .*\\(YAML syntax\\)$`));
    expect(problems[0]).toMatch(new RegExp(`^${file}:8:`));
  });

  it.each([
    ['', '1:1: a rules file is a map with version: 1 and rules: (a list)'],
    ['- a\n- b\n', '1:1: a rules file is a map with version: 1 and rules: (a list)'],
    ['version: 2\nrules: []\n', '1:10: version: expected version: 1 (the only format so far)'],
    ['version: 1\n', '1:1: rules: missing: add rules: followed by a list of rules'],
    ['rules:\n  - id: a\n    description: b\n    when: { verdict: late, value: {} }\n    then:\n      - action: check\n        reason: c\n', '4:35: rules[0].when.value: give at least one of above, at_least, below, at_most'],
    ['rules:\n  - id: a\n    description: b\n    when: { contacts: { above: 2, upto: 3 } }\n    then:\n      - action: check\n        reason: c\n', '4:35: rules[0].when.contacts.upto: unknown key: expected one of above, at_least, below, at_most'],
    ['rules:\n  - id: a\n    description: b\n    when: { verdict: late }\n    then:\n      - action: customer_email\n        reason: c\n', '6:9: rules[0].then[0].params: customer_email needs params.template: a template name such as reshipped'],
    ['rules:\n  - id: a\n    description: b\n    when: { verdict: late }\n    then:\n      - action: reship\n        reason: c\n', '6:17: rules[0].then[0].action: "reship" is not an action: expected one of reshipment, carrier_claim, return_label, customer_email, refund, manager_case, check'],
    ['carriers:\n  La Poste: { scan_gap_hours: 4 }\nrules: []\n', '2:3: carriers.La Poste: expected a carrier id such as laposte, or default'],
    // A NUL in a reason fails the store's insert of every follow-up the rule decides; an escape reaches terminals.
    ['rules:\n  - id: a\n    description: b\n    when: { verdict: late }\n    then:\n      - action: check\n        reason: "late\\0"\n', '7:17: rules[0].then[0].reason: holds the control character U+0000 at position 5: remove it'],
    ['rules:\n  - id: a\n    description: "b\\e[2J"\n    when: { verdict: late }\n    then:\n      - action: manager_case\n        params: { reason: late, note: "\\x07" }\n        reason: c\n', '3:18: rules[0].description: holds the control character U+001B at position 2: remove it'],
    ['rules:\n  - id: a\n    description: b\n    when: { verdict: late }\n    then:\n      - action: manager_case\n        params: { reason: late, note: "\\x07" }\n        reason: c\n', '7:39: rules[0].then[0].params.note: holds the control character U+0007 at position 1: remove it'],
    // Aliases of aliases: nine lines that would expand to 387 million nodes.
    [`${['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n')}\nrules: []\n`, '1:1: its aliases (*name) expand to too much: write the values out (YAML syntax)'],
  ])('%j: %s', (text, expected) => {
    try {
      parseRules(text, 'rules.yaml', THRESHOLDS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RulesFileError);
      const problems = (error as RulesFileError).problems.map(formatProblem);
      expect(problems.some((problem) => problem.startsWith(`rules.yaml:${expected}`)), problems.join('\n')).toBe(true);
    }
  });

  it('says a missing file is missing, at 1:1, in one line', async () => {
    const problems = await problemsOf('/nonexistent/rules.yaml');
    expect(problems).toEqual(['/nonexistent/rules.yaml:1:1: no such file: check the path (PARCELBOT_RULES)']);
  });

  it('refuses a file that is not UTF-8 text, or not a file, at 1:1, in one line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parcelbot-rules-'));
    try {
      const latin1 = path.join(dir, 'latin1.yaml');
      await writeFile(latin1, Buffer.from('version: 1\nrules:\n  - id: a\n    description: caf\xe9\n    when: { verdict: late }\n    then:\n      - action: check\n        reason: c\n', 'latin1'));
      expect(await problemsOf(latin1)).toEqual([`${latin1}:1:1: not valid UTF-8: save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`]);
      expect(await problemsOf(dir)).toEqual([`${dir}:1:1: cannot be read (EISDIR): check the path (PARCELBOT_RULES)`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has a one-line message for commands that stop at start', async () => {
    const file = fixture('several-mistakes.yaml');
    await expect(loadRules(file, THRESHOLDS)).rejects.toThrow(`${file}:4:30: carriers.laposte.scan_gap_hours: expected hours: a number above 0 (and 13 more: run parcelbot rules check ${file})`);
  });
});

describe('a custom file', () => {
  it('reads carrier settings, channel patterns and times', async () => {
    const file = fixture('valid-marketplace-rules.yaml');
    const ruleSet = parseRules(await readFile(file, 'utf8'), file, THRESHOLDS);
    expect(ruleSet.carriers).toEqual({ laposte: { lostAfterBusinessDays: 8 }, default: { scanGapHours: 96 } });
    expect(ruleSet.rules[0]?.when.channel).toEqual(['mirakl:*', 'amazon:*']);
    expect(ruleSet.rules[1]?.then[0]?.at).toMatchObject({ anchors: ['now'], offset: { amount: 2, unit: 'hour' } });
  });
});
