import { isolatedRedisPrefix, testRedisUrl } from '@waba/testing';
import { loadApiConfig, type ApiConfig } from '../config/api-config';

/** A configuration for unit specs that use only the test Redis, under a key prefix of their own. */
export function redisOnlyConfig(label: string): ApiConfig {
  return loadApiConfig({
    MONGODB_URI: 'mongodb://localhost/unused',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: isolatedRedisPrefix(label),
    TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  });
}
