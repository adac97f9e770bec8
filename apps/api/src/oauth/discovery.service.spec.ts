import { Logger } from '@nestjs/common';
import type { MockProxy } from 'jest-mock-extended';
import type { MetaGraphClient } from '@waba/meta-graph';
import { ForbiddenError, InvalidRequestError } from '../common/errors/domain-errors';
import type { ApiConfig } from '../config/api-config';
import { aDebugToken, aGraphError, aGraphWaba, APP_ID, WABA_ID } from '../testing/factories';
import { strictMock } from '../testing/strict-mock';
import { DiscoveryService } from './discovery.service';

const TOKEN = 'tenant-token';
const HINTED = '1000000000000002';
const OWNED = '1000000000000003';
const SHARED = '1000000000000004';

describe('DiscoveryService', () => {
  let graph: MockProxy<MetaGraphClient>;
  let service: DiscoveryService;

  beforeEach(() => {
    graph = strictMock<MetaGraphClient>('graph');
    service = new DiscoveryService(graph, { META_APP_ID: APP_ID } as ApiConfig);
    // "Not granted" is logged at debug level; the tests read the outcome instead.
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('refuses a token', () => {
    it("that Meta calls invalid, with Meta's code for support", async () => {
      graph.debugToken.calledWith(TOKEN).mockResolvedValue(aDebugToken({ is_valid: false, error: { code: 190, subcode: 463, message: 'expired' } }));
      const refused = service.discover(TOKEN);
      await expect(refused).rejects.toThrow(InvalidRequestError);
      await expect(refused).rejects.toMatchObject({ code: 'meta_token_invalid', support: { metaCode: 190, metaSubcode: 463 } });
    });

    it('issued to another Meta app', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ app_id: 'someone-else' }));
      await expect(service.discover(TOKEN)).rejects.toMatchObject({ code: 'meta_token_other_app' });
    });

    it('without whatsapp_business_management', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ scopes: ['whatsapp_business_messaging'] }, null));
      const refused = service.discover(TOKEN);
      await expect(refused).rejects.toThrow(ForbiddenError);
      await expect(refused).rejects.toMatchObject({ code: 'meta_permission_missing' });
    });
  });

  describe('with target ids in the grant', () => {
    it('reads exactly the granted WABAs', async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({}, [WABA_ID, HINTED]));
      graph.getWaba.mockImplementation(async (_token, id) => aGraphWaba({ id }));

      const { wabas } = await service.discover(TOKEN, [HINTED]);

      expect(wabas.map((w) => w.id)).toEqual([WABA_ID, HINTED]);
      expect(graph.getMe).not.toHaveBeenCalled();
    });

    it("refuses a hinted WABA Meta did not grant, though the token could read it: a browser's ids are hints, not proof", async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({}, [WABA_ID]));
      graph.getWaba.mockImplementation(async (_token, id) => aGraphWaba({ id }));
      await expect(service.discover(TOKEN, [HINTED])).rejects.toThrow(new ForbiddenError(`WhatsApp Business Account ${HINTED} was not granted to us by Meta`));
    });

    it('reads the WABA the browser named while debug_token runs, and only once', async () => {
      let answerDebugToken: (debug: ReturnType<typeof aDebugToken>) => void = () => undefined;
      graph.debugToken.mockReturnValue(new Promise((resolve) => (answerDebugToken = resolve)));
      graph.getWaba.mockImplementation(async (_token, id) => aGraphWaba({ id }));

      const discovered = service.discover(TOKEN, [HINTED]);
      await Promise.resolve();
      expect(graph.getWaba).toHaveBeenCalledWith(TOKEN, HINTED);
      answerDebugToken(aDebugToken({}, [HINTED]));

      expect((await discovered).wabas.map((w) => w.id)).toEqual([HINTED]);
      expect(graph.getWaba).toHaveBeenCalledTimes(1);
    });

    it("does not let an early read's failure escape when debug_token refuses the token", async () => {
      graph.debugToken.mockResolvedValue(aDebugToken({ app_id: 'someone-else' }));
      graph.getWaba.mockRejectedValue(aGraphError('credential'));
      await expect(service.discover(TOKEN, [HINTED])).rejects.toMatchObject({ code: 'meta_token_other_app' });
    });
  });

  describe('without target ids (Meta left them out)', () => {
    beforeEach(() => {
      graph.debugToken.mockResolvedValue(aDebugToken({}, null));
      graph.getMe.calledWith(TOKEN).mockResolvedValue({ id: 'meta-user-1', client_business_id: 'business-1' });
      graph.listBusinesses.mockResolvedValue({ data: [{ id: 'business-2', name: 'Shared Co' }] });
      graph.listOwnedWabas.mockImplementation(async (_token, business) => ({ data: business === 'business-1' ? [aGraphWaba({ id: OWNED })] : [] }));
      graph.listClientWabas.mockImplementation(async (_token, business) => ({ data: business === 'business-2' ? [aGraphWaba({ id: SHARED })] : [] }));
    });

    it('trusts only the hinted and visible WABAs the token itself can read', async () => {
      graph.getWaba.mockImplementation(async (_token, id) => {
        if (id === SHARED) throw aGraphError('permission');
        return aGraphWaba({ id });
      });

      const { wabas } = await service.discover(TOKEN, [HINTED]);

      expect(wabas.map((w) => w.id)).toEqual([HINTED, OWNED]);
      expect(graph.listOwnedWabas).toHaveBeenCalledWith(TOKEN, 'business-1');
      expect(graph.listClientWabas).toHaveBeenCalledWith(TOKEN, 'business-2');
    });

    it('reads each candidate once, even when hinted and visible', async () => {
      graph.getWaba.mockImplementation(async (_token, id) => aGraphWaba({ id }));
      await service.discover(TOKEN, [OWNED]);
      expect(graph.getWaba.mock.calls.map(([, id]) => id)).toEqual([OWNED, SHARED]);
    });

    it('goes on when the token may not list businesses, but fails on a real Meta failure', async () => {
      graph.listBusinesses.mockRejectedValueOnce(aGraphError('permission'));
      graph.getWaba.mockImplementation(async (_token, id) => aGraphWaba({ id }));
      await expect(service.discover(TOKEN)).resolves.toMatchObject({ wabas: [{ id: OWNED }] });

      const outage = aGraphError('temporary');
      graph.getWaba.mockRejectedValue(outage);
      await expect(service.discover(TOKEN)).rejects.toBe(outage);
    });
  });
});
