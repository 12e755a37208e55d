import { badConfig, registerConfigSection } from '@logbook/core/spi';
import type { ConfigSection } from '@logbook/core/spi';

/** S3-compatible artifact storage (Cloudflare R2 first). Secrets never logged. */
export interface S3Config {
  readonly bucket: string;
  readonly prefix?: string;
  /** e.g. `https://<account>.r2.cloudflarestorage.com`. */
  readonly endpoint?: string;
  /** @default 'auto' (what R2 expects) */
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

declare module '@logbook/core' {
  /** The settings `@logbook/s3` adds to the configuration when imported. */
  interface LogbookConfigSections {
    /** Artifacts in an S3-compatible bucket; absent unless some layer sets one of its keys. */
    readonly s3?: S3Config;
  }
}

/** Region used for S3 when none is configured: what Cloudflare R2 expects. */
export const DEFAULT_S3_REGION = 'auto';

/**
 * The `s3` section: its keys and environment variables. AWS's own variables and
 * `MLFLOW_S3_ENDPOINT_URL` only complete a section another layer (or `LOGBOOK_S3_BUCKET`) started.
 */
export const S3_CONFIG_SECTION: ConfigSection = {
  name: 's3',
  package: '@logbook/s3',
  fields: {
    's3.bucket': { kind: 'string' },
    's3.prefix': { kind: 'string' },
    's3.endpoint': { kind: 'uri' },
    's3.region': { kind: 'string' },
    's3.forcePathStyle': { kind: 'boolean' },
    's3.accessKeyId': { kind: 'string', secret: true },
    's3.secretAccessKey': { kind: 'string', secret: true },
    's3.sessionToken': { kind: 'string', secret: true },
  },
  env: [
    { name: 'LOGBOOK_S3_BUCKET', key: 's3.bucket' },
    { name: 'LOGBOOK_S3_PREFIX', key: 's3.prefix' },
    { name: 'LOGBOOK_S3_ENDPOINT', key: 's3.endpoint' },
    { name: 'LOGBOOK_S3_REGION', key: 's3.region' },
    { name: 'LOGBOOK_S3_FORCE_PATH_STYLE', key: 's3.forcePathStyle' },
    { name: 'LOGBOOK_S3_ACCESS_KEY_ID', key: 's3.accessKeyId' },
    { name: 'LOGBOOK_S3_SECRET_ACCESS_KEY', key: 's3.secretAccessKey' },
    { name: 'LOGBOOK_S3_SESSION_TOKEN', key: 's3.sessionToken' },
  ],
  ambientEnv: [
    { name: 'MLFLOW_S3_ENDPOINT_URL', key: 's3.endpoint' },
    { name: 'AWS_REGION', key: 's3.region' },
    { name: 'AWS_DEFAULT_REGION', key: 's3.region' },
    { name: 'AWS_ACCESS_KEY_ID', key: 's3.accessKeyId' },
    { name: 'AWS_SECRET_ACCESS_KEY', key: 's3.secretAccessKey' },
    { name: 'AWS_SESSION_TOKEN', key: 's3.sessionToken' },
  ],
  finish: (values, sourceOf) => {
    if (typeof values['bucket'] !== 'string') {
      const first = Object.keys(values)[0] ?? 'bucket';
      badConfig('s3.bucket', sourceOf('s3.bucket'), `is required when S3 is configured (s3.${first} is set).`);
    }
    return { ...values, region: values['region'] ?? DEFAULT_S3_REGION };
  },
};

registerConfigSection(S3_CONFIG_SECTION);
