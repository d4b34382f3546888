import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { isTracker, type RobotDefinition, type TrackerDefinition } from './define-robot.ts';

export const ROBOTS_DIR = fileURLToPath(new URL('../../robots/', import.meta.url));

/** The robots found in `robots/*\/index.ts`, by id. The core never imports a robot by name. */
export class RobotRegistry {
  private readonly byId: ReadonlyMap<string, RobotDefinition>;

  constructor(definitions: readonly RobotDefinition[]) {
    this.byId = new Map(definitions.map((definition) => [definition.id, definition]));
  }

  /** Loads every robot folder; a folder whose index does not declare a robot of its own name fails loudly. */
  static async load(dir: string = ROBOTS_DIR): Promise<RobotRegistry> {
    const entries = await readdir(dir, { withFileTypes: true });
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const definitions = await Promise.all(folders.map((folder) => loadRobot(dir, folder)));
    return new RobotRegistry(definitions);
  }

  all(): RobotDefinition[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  find(id: string): RobotDefinition | undefined {
    return this.byId.get(id);
  }

  /** The robots able to track, i.e. the carriers a shipment can name. */
  trackers(): TrackerDefinition[] {
    return this.all().filter(isTracker);
  }

  /** The tracking robot `id`, or undefined when there is none or it does not track. */
  tracker(id: string): TrackerDefinition | undefined {
    const definition = this.byId.get(id);
    return definition && isTracker(definition) ? definition : undefined;
  }
}

async function loadRobot(dir: string, folder: string): Promise<RobotDefinition> {
  const file = path.join(dir, folder, 'index.ts');
  const module = (await import(pathToFileURL(file).href)) as { default?: RobotDefinition };
  const definition = module.default;
  if (!definition || typeof definition.create !== 'function') {
    throw new Error(`robots/${folder}/index.ts must default-export defineRobot({...})`);
  }
  if (definition.id !== folder) {
    throw new Error(`robots/${folder}/index.ts declares id "${definition.id}": a robot's id must equal its folder name`);
  }
  if (definition.capabilities?.track && typeof definition.checkTrackingNumber !== 'function') {
    throw new Error(`robots/${folder}/index.ts can track but declares no checkTrackingNumber: a tracking robot must say which numbers it accepts`);
  }
  return definition;
}
