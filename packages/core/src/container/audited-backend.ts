import { auditedRegistryStore } from '../audit/audited-registry-store.js';
import type { RegistryAuditOptions } from '../audit/audited-registry-store.js';
import type { Backend } from '../contracts/backend.js';
import type { RegistryAuditSink } from '../contracts/registry-audit.js';

/** The backend with its registry reporting every change to `sink`; closing closes the real stores, then the sink. */
export function withRegistryAudit(backend: Backend, sink: RegistryAuditSink, options: RegistryAuditOptions): Backend {
  const { sink: _sink, ...auditOptions } = options as RegistryAuditOptions & { sink?: unknown };
  return {
    tracking: backend.tracking,
    registry: auditedRegistryStore(backend.registry, sink, auditOptions),
    artifacts: backend.artifacts,
    ...(backend.syncSource === undefined ? {} : { syncSource: backend.syncSource }),
    close: async () => {
      try {
        await backend.close();
      } finally {
        await sink.close?.();
      }
    },
  };
}
