import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RobotRegistry } from './registry.ts';

describe('RobotRegistry', () => {
  it('loads every robot folder, named by its id', async () => {
    const registry = await RobotRegistry.load();
    expect(registry.ids()).toContain('laposte');
    expect(registry.find('laposte')).toMatchObject({ kind: 'api', capabilities: { track: { maxBatch: 10 } } });
    expect(registry.trackers().map((robot) => robot.id)).toContain('laposte');
  });

  it('refuses a folder whose robot has another id', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pb-robots-'));
    await mkdir(path.join(dir, 'acme'));
    await writeFile(path.join(dir, 'acme', 'index.ts'), "export default { id: 'other', create() {} };\n");
    await expect(RobotRegistry.load(dir)).rejects.toThrow(/declares id "other": a robot's id must equal its folder name/);
  });
});
