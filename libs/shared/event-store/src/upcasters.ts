import type { DomainEvent } from '@maatlat/shared/domain';
/**
 * Old event shapes are upgraded on read, one schema version at a time; the stored bytes (and so
 * the hash chain) never change.
 */
export interface Upcaster {
  type: string;
  /** The stored schema version this step reads; it returns version `fromSchemaVersion + 1`. */
  fromSchemaVersion: number;
  upcast(data: unknown): unknown;
}

export class EventUpcasters {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) {
      const byVersion = this.steps.get(upcaster.type) ?? new Map<number, Upcaster>();
      if (byVersion.has(upcaster.fromSchemaVersion)) {
        throw new Error(`two upcasters for ${upcaster.type} from schema version ${upcaster.fromSchemaVersion}`);
      }
      byVersion.set(upcaster.fromSchemaVersion, upcaster);
      this.steps.set(upcaster.type, byVersion);
    }
    for (const [type, byVersion] of this.steps) {
      for (let version = 1; version < this.currentSchemaVersion(type); version++) {
        if (!byVersion.has(version)) throw new Error(`upcasters for ${type} skip schema version ${version}`);
      }
    }
  }

  /** The schema version new events of this type are written with. */
  currentSchemaVersion(type: string): number {
    const byVersion = this.steps.get(type);
    return byVersion ? Math.max(...byVersion.keys()) + 1 : 1;
  }

  /**
   * An event's data in the current schema of its type. Typed by the caller's event union, as
   * `readStream<E>()` is: rows of type `E['type']` hold `E['data']` once upcast.
   */
  upcast<E extends DomainEvent = DomainEvent>(type: E['type'], schemaVersion: number, data: unknown): { schemaVersion: number; data: E['data'] } {
    const byVersion = this.steps.get(type);
    if (!byVersion) return { schemaVersion, data: data as E['data'] };
    let version = schemaVersion;
    let current = data;
    for (let step = byVersion.get(version); step; step = byVersion.get(version)) {
      current = step.upcast(current);
      version += 1;
    }
    return { schemaVersion: version, data: current as E['data'] };
  }
}
