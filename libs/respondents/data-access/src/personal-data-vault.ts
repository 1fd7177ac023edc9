import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '@maatlat/shared/database';
import { RuleBroken } from '@maatlat/shared/domain';
import type { PersonalData, SealedPersonalData } from '@maatlat/respondents/domain';

/**
 * Per-person data keys and the sealing of personal data with them (AES-256-GCM, the respondent id
 * bound in as associated data, so a sealed value cannot be moved to another person). Destroying a
 * key is the erasure: every sealed copy, in events or anywhere else, becomes unreadable.
 */
export class PersonalDataVault {
  constructor(private readonly db: Kysely<DB>) {}

  async createKey(respondentId: string): Promise<void> {
    await this.db.insertInto('person_keys').values({ respondent_id: respondentId, data_key: randomBytes(32) }).execute();
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

  private async key(respondentId: string): Promise<Buffer | undefined> {
    const row = await this.db.selectFrom('person_keys').select('data_key').where('respondent_id', '=', respondentId).executeTakeFirst();
    return row?.data_key;
  }
}

/**
 * Destroys a person's data key, within the caller's transaction when it has one (the respondents
 * projection destroys the key of every erased respondent as it records the erasure).
 */
export async function destroyDataKey(db: Kysely<DB> | Transaction<DB>, respondentId: string): Promise<void> {
  await db.deleteFrom('person_keys').where('respondent_id', '=', respondentId).execute();
}
