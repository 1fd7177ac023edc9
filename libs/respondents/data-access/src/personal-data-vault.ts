import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { requireDataKeyEncryption, type AppConfig, type DataKeyEncryptionConfig } from '@maatlat/shared/config';
import type { DB } from '@maatlat/shared/database';
import { RuleBroken } from '@maatlat/shared/domain';
import type { PersonalData, SealedPersonalData } from '@maatlat/respondents/domain';

/** A data key that exists but cannot be unwrapped here: the configuration lacks (or has another) key-encryption key. */
export class DataKeyUnavailable extends Error {
  override readonly name = 'DataKeyUnavailable';
}

// A wrapped key is iv (12 bytes), GCM tag (16) and the encrypted 32-byte data key.
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Per-person data keys and the sealing of personal data with them (AES-256-GCM, the respondent id
 * bound in as associated data, so a sealed value cannot be moved to another person). Destroying a
 * key is the erasure: every sealed copy, in events or anywhere else, becomes unreadable.
 *
 * The data keys are stored wrapped with a key-encryption key that lives in the configuration, not
 * the database, so a dump of the database opens nothing. Rotation re-wraps the data keys only
 * (`rewrapAll`); sealed data is never re-encrypted.
 */
export class PersonalDataVault {
  private readonly current: { id: string; key: Buffer };
  private readonly byId: Map<string, Buffer>;

  constructor(
    private readonly db: Kysely<DB>,
    keyEncryption: DataKeyEncryptionConfig,
  ) {
    if (keyEncryption.keys.length === 0) throw new Error('a vault needs at least one key-encryption key');
    this.current = keyEncryption.keys[0];
    this.byId = new Map(keyEncryption.keys.map((k) => [k.id, k.key]));
  }

  /** The vault of a process, with the configured key-encryption keys (a ConfigError when there are none). */
  static fromConfig(db: Kysely<DB>, config: Pick<AppConfig, 'dataKeyEncryption'>): PersonalDataVault {
    return new PersonalDataVault(db, requireDataKeyEncryption(config));
  }

  /**
   * Makes the person's data key. Making it again keeps the first: data may already be sealed with
   * it (a retried registration).
   */
  async createKey(respondentId: string): Promise<void> {
    const wrapped = this.wrap(respondentId, randomBytes(32));
    await this.db
      .insertInto('person_keys')
      .values({ respondent_id: respondentId, wrapped_key: wrapped, key_id: this.current.id })
      .onConflict((conflict) => conflict.column('respondent_id').doNothing())
      .execute();
  }

  /** Seals any personal data (name and e-mail, a justification's text) with the person's key. */
  async seal(respondentId: string, data: PersonalData | { justification: string }): Promise<SealedPersonalData> {
    const key = await this.key(respondentId);
    // No key: the respondent was erased (or never registered). Nothing personal can be recorded for them.
    if (!key) throw new RuleBroken('respondent.no-data-key', `respondent ${respondentId} has no data key (erased): no personal data can be recorded for them`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(respondentId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  }

  /** The personal data, or null once the key is destroyed. */
  async open<T = PersonalData>(respondentId: string, sealed: SealedPersonalData): Promise<T | null> {
    const key = await this.key(respondentId);
    if (!key) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(respondentId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }

  /** Idempotent: destroying a key that is already gone changes nothing. */
  async destroyKey(respondentId: string): Promise<void> {
    await destroyDataKey(this.db, respondentId);
  }

  /**
   * Rotation: wraps every data key not yet wrapped with the current key-encryption key (and every
   * key from before wrapping) with it, a batch at a time. Returns how many were re-wrapped, and
   * those that could not be unwrapped (they keep their old wrapping). When none failed, the older
   * key-encryption keys can be taken out of the configuration.
   */
  async rewrapAll(batchSize = 500): Promise<{ rewrapped: number; failed: { respondentId: string; problem: string }[] }> {
    let rewrapped = 0;
    const failed: { respondentId: string; problem: string }[] = [];
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('person_keys')
        .select(['respondent_id', 'data_key', 'wrapped_key', 'key_id'])
        .where('respondent_id', '>', after)
        .where((where) => where.or([where('key_id', 'is', null), where('key_id', '!=', this.current.id)]))
        .orderBy('respondent_id')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return { rewrapped, failed };
      for (const row of rows) {
        let dataKey: Buffer;
        try {
          dataKey = this.dataKeyOf(row);
        } catch (error) {
          if (!(error instanceof DataKeyUnavailable)) throw error;
          failed.push({ respondentId: row.respondent_id, problem: error.message });
          continue;
        }
        if (await this.rewrap(row.respondent_id, dataKey)) rewrapped++;
      }
      after = rows[rows.length - 1].respondent_id;
    }
  }

  private async key(respondentId: string): Promise<Buffer | undefined> {
    const row = await this.db.selectFrom('person_keys').select(['data_key', 'wrapped_key', 'key_id']).where('respondent_id', '=', respondentId).executeTakeFirst();
    if (!row) return undefined;
    const key = this.dataKeyOf({ respondent_id: respondentId, ...row });
    // A key from before wrapping is wrapped on its first use: the migration could not (the
    // key-encryption key is not in the database).
    if (row.data_key) await this.rewrap(respondentId, key);
    return key;
  }

  private dataKeyOf(row: { respondent_id: string; data_key: Buffer | null; wrapped_key: Buffer | null; key_id: string | null }): Buffer {
    if (row.data_key) return row.data_key;
    const kek = this.byId.get(row.key_id ?? '');
    if (!kek || !row.wrapped_key) {
      throw new DataKeyUnavailable(`the data key of respondent ${row.respondent_id} is wrapped with key-encryption key "${row.key_id}", which DATA_KEY_ENCRYPTION_KEYS does not hold`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, row.wrapped_key.subarray(0, IV_BYTES));
      decipher.setAAD(this.wrappingContext(row.respondent_id, row.key_id!));
      decipher.setAuthTag(row.wrapped_key.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(row.wrapped_key.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DataKeyUnavailable(`the data key of respondent ${row.respondent_id} does not unwrap with key-encryption key "${row.key_id}": DATA_KEY_ENCRYPTION_KEYS holds another key under that id`);
    }
  }

  /** Replaces the stored form of a data key by its wrapping with the current key; false when the key was destroyed meanwhile. */
  private async rewrap(respondentId: string, dataKey: Buffer): Promise<boolean> {
    const result = await this.db
      .updateTable('person_keys')
      .set({ wrapped_key: this.wrap(respondentId, dataKey), key_id: this.current.id, data_key: null })
      .where('respondent_id', '=', respondentId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  private wrap(respondentId: string, dataKey: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(this.wrappingContext(respondentId, this.current.id));
    const encrypted = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
  }

  /** Binds a wrapped key to its person and key id: a row copied onto another person unwraps to nothing. */
  private wrappingContext(respondentId: string, keyId: string): Buffer {
    return Buffer.from(`maatlat:person-key:${respondentId}:${keyId}`, 'utf8');
  }
}

/**
 * Destroys a person's data key, within the caller's transaction when it has one (the respondents
 * projection destroys the key of every erased respondent as it records the erasure).
 */
export async function destroyDataKey(db: Kysely<DB> | Transaction<DB>, respondentId: string): Promise<void> {
  await db.deleteFrom('person_keys').where('respondent_id', '=', respondentId).execute();
}
