import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { mintInvitationToken, mintLocalToken, TokenRejected, TokenVerifier } from './token-verifier';

const SECRET = 'local-issuer-secret-for-tests-0123456789';
const INVITATION_SECRET = 'invitation-secret-for-tests-0123456789';
const key = (secret: string) => new TextEncoder().encode(secret);

describe('TokenVerifier', () => {
  describe('the local development issuer', () => {
    const verifier = new TokenVerifier({ local: { secret: SECRET } });

    it('accepts its own tokens and reads subject, roles and organisations', async () => {
      const token = await mintLocalToken(SECRET, { subject: 'anna', roles: ['coordinator'], organisations: ['org-1'] });
      expect(await verifier.verify(token)).toEqual({ subject: 'anna', roles: ['coordinator'], organisations: ['org-1'], issuer: 'maatlat-local' });
    });

    it.each<[string, () => Promise<string>, string]>([
      ['an expired token', () => mintLocalToken(SECRET, { subject: 'a', roles: [], organisations: [] }, { now: new Date(Date.now() - 10 * 3600_000), ttlSeconds: 3600 }), 'the token has expired'],
      ['a token signed with another secret', () => mintLocalToken('x'.repeat(40), { subject: 'a', roles: [], organisations: [] }), 'the token signature is not valid'],
      ['a malformed token', async () => 'abc.def', 'the token is malformed'],
      ['a token with no subject', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('maatlat-local').setAudience('maatlat').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET)), 'the token names no subject'],
      ['a token that never expires', () => new SignJWT({ roles: ['platform-admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer('maatlat-local').setAudience('maatlat').sign(key(SECRET)), 'the token has no expiry (exp)'],
    ])('refuses %s with a clear reason', async (_, token, reason) => {
      await expect(verifier.verify(await token())).rejects.toEqual(new TokenRejected(reason));
    });

    it('honours a token it verified before only until it expires, and hands out a principal of its own each time', async () => {
      // Issued so that it expires a second from now (exp has whole seconds).
      const expiresAt = Math.ceil(Date.now() / 1000) + 1;
      const token = await mintLocalToken(SECRET, { subject: 'anna', roles: ['coordinator'], organisations: ['org-1'] }, { now: new Date((expiresAt - 3600) * 1000), ttlSeconds: 3600 });
      const first = await verifier.verify(token);
      first.roles.push('platform-admin');
      expect(await verifier.verify(token)).toEqual({ subject: 'anna', roles: ['coordinator'], organisations: ['org-1'], issuer: 'maatlat-local' });
      await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
      await expect(verifier.verify(token)).rejects.toEqual(new TokenRejected('the token has expired'));
    });

    it('is off unless switched on', async () => {
      const token = await mintLocalToken(SECRET, { subject: 'anna', roles: ['platform-admin'], organisations: [] });
      await expect(new TokenVerifier({}).verify(token)).rejects.toEqual(new TokenRejected('the token comes from an issuer this platform does not trust'));
    });
  });

  describe('invitation tokens', () => {
    const verifier = new TokenVerifier({ invitations: { secret: INVITATION_SECRET } });
    const invitation = { invitationId: 'inv-1', respondentId: 'r-1', organisationId: 'org-1', assessmentId: 'as-1', layer: 'tactical' };
    const claims = { roles: ['respondent'], organisations: ['org-1'], assessment: 'as-1', layer: 'tactical' };

    it('carry the invitation: its id (jti), assessment and layer (each request its own copy of it)', async () => {
      const { token } = await mintInvitationToken(INVITATION_SECRET, invitation);
      const first = await verifier.verify(token);
      first.invitation!.assessmentId = 'as-other';
      first.organisations.push('org-other');
      expect(await verifier.verify(token)).toEqual({
        subject: 'r-1',
        roles: ['respondent'],
        organisations: ['org-1'],
        issuer: 'maatlat-invitation',
        invitation: { invitationId: 'inv-1', assessmentId: 'as-1', layer: 'tactical' },
      });
    });

    it.each<[string, () => Promise<string>, string]>([
      ['one that never expires', () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('r-1').setJti('inv-1').setIssuer('maatlat-invitation').setAudience('maatlat').sign(key(INVITATION_SECRET)), 'the token has no expiry (exp)'],
      ['one without an invitation id', () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('r-1').setIssuer('maatlat-invitation').setAudience('maatlat').setExpirationTime('1h').sign(key(INVITATION_SECRET)), 'the invitation names no invitation id (jti)'],
    ])('are refused: %s', async (_, token, reason) => {
      await expect(verifier.verify(await token())).rejects.toEqual(new TokenRejected(reason));
    });
  });

  describe('an OpenID Connect provider, by its JWKS', () => {
    let server: Server;
    let jwksUrl: string;
    let signingKey: KeyLike;
    const issuer = 'https://login.overheid.example';

    beforeAll(async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      signingKey = privateKey as KeyLike;
      const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
      server = createServer((_, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    const sign = (claims: Record<string, unknown>, key: KeyLike = signingKey, kid = 'key-1') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(issuer).setAudience('maatlat').setSubject('user-42').setIssuedAt().setExpirationTime('5m').sign(key);

    it('reads roles and organisations from the configured claims', async () => {
      const verifier = new TokenVerifier({ oidc: { issuer, jwksUrl, audience: 'maatlat', rolesClaim: 'maatlat_roles', organisationsClaim: 'oin' } });
      const token = await sign({ maatlat_roles: ['auditor', 'not-a-role'], oin: '00000001003214345000' });
      expect(await verifier.verify(token)).toEqual({ subject: 'user-42', roles: ['auditor'], organisations: ['00000001003214345000'], issuer });
    });

    it('refuses a token signed by a key the provider did not publish', async () => {
      const verifier = new TokenVerifier({ oidc: { issuer, jwksUrl, audience: 'maatlat', rolesClaim: 'roles', organisationsClaim: 'organisations' } });
      const { privateKey } = await generateKeyPair('ES256');
      await expect(verifier.verify(await sign({ roles: ['platform-admin'] }, privateKey as KeyLike))).rejects.toEqual(new TokenRejected('the token signature is not valid'));
    });

    it('refuses a token that never expires', async () => {
      const verifier = new TokenVerifier({ oidc: { issuer, jwksUrl, audience: 'maatlat', rolesClaim: 'roles', organisationsClaim: 'organisations' } });
      const endless = await new SignJWT({ roles: ['platform-admin'] }).setProtectedHeader({ alg: 'ES256', kid: 'key-1' }).setIssuer(issuer).setAudience('maatlat').setSubject('user-42').setIssuedAt().sign(signingKey);
      await expect(verifier.verify(endless)).rejects.toEqual(new TokenRejected('the token has no expiry (exp)'));
    });

    it('refuses a token for another audience', async () => {
      const verifier = new TokenVerifier({ oidc: { issuer, jwksUrl, audience: 'another-app', rolesClaim: 'roles', organisationsClaim: 'organisations' } });
      await expect(verifier.verify(await sign({ roles: ['auditor'] }))).rejects.toEqual(new TokenRejected(`the token's aud claim is not accepted`));
    });
  });
});
