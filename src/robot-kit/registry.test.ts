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

  it('tells tracking robots from the others, which declare no number check', async () => {
    const registry = await RobotRegistry.load();
    expect(registry.tracker('laposte')?.checkTrackingNumber('6A123')).toMatch(/11 to 15/);
    expect(registry.find('seller-portal')?.checkTrackingNumber).toBeUndefined();
    expect(registry.tracker('seller-portal')).toBeUndefined();
    expect(registry.trackers().map((robot) => robot.id)).not.toContain('seller-portal');
  });

  it('refuses a folder whose robot has another id', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pb-robots-'));
    await mkdir(path.join(dir, 'acme'));
    await writeFile(path.join(dir, 'acme', 'index.ts'), "export default { id: 'other', create() {} };\n");
    await expect(RobotRegistry.load(dir)).rejects.toThrow(/declares id "other": a robot's id must equal its folder name/);
  });

  it('refuses a robot that tracks without saying which numbers it accepts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pb-robots-'));
    await mkdir(path.join(dir, 'acme'));
    await writeFile(path.join(dir, 'acme', 'index.ts'), "export default { id: 'acme', capabilities: { track: { maxBatch: 1 } }, create() {} };\n");
    await expect(RobotRegistry.load(dir)).rejects.toThrow(/can track but declares no checkTrackingNumber/);
  });
});
