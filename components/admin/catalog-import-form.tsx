'use client';
// Upload a catalog-info.yaml or paste it; the server imports it and answers the report.
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { ImportReport } from '@/lib/catalog/import';
import { apiFetch, ApiError } from '@/lib/http/client-fetch';
import { CatalogReport } from './catalog-report';

const MAX_BYTES = 5 * 1024 * 1024;

export function CatalogImportForm() {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [yaml, setYaml] = useState('');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  async function onFile(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setError(`${file.name} is larger than 5 MB; split the catalog.`);
      return;
    }
    setError(null);
    setYaml(await file.text());
    setSource((s) => s || file.name);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!yaml.trim()) {
      setError('Choose a catalog-info.yaml file or paste its YAML.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch<ImportReport>('/api/v1/catalog/import', { body: { yaml, source: source.trim() || 'upload' } });
      setReport(r);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The import failed; try again.');
    } finally {
      setBusy(false);
    }
  }

  const input = 'w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950';
  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="Import a catalog" className="space-y-3">
        <div className="flex flex-wrap items-end gap-3">
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-300">
            Catalog file
            <input ref={fileRef} type="file" accept=".yaml,.yml,application/yaml,text/yaml" onChange={onFile} className="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-zinc-100 file:px-2.5 file:py-1.5 file:text-sm file:font-medium file:text-zinc-700 hover:file:bg-zinc-200 dark:file:bg-zinc-800 dark:file:text-zinc-200" />
          </label>
          <label className="min-w-[240px] flex-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">
            Source name <span className="font-normal text-zinc-500">(services that leave this source are reported removed)</span>
            <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="catalog-info.yaml" className={`${input} mt-1`} maxLength={300} />
          </label>
        </div>
        <label className="block text-xs font-medium text-zinc-600 dark:text-zinc-300">
          YAML
          <textarea
            value={yaml}
            onChange={(e) => setYaml(e.target.value)}
            rows={12}
            spellCheck={false}
            className={`${input} mt-1 font-mono text-xs`}
            placeholder={'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\n  annotations:\n    countersign.dev/tier: "1"\n    github.com/project-slug: acme/checkout\nspec:\n  type: service\n  owner: group:checkout\n  dependsOn: [component:cart, resource:orders-db]\n---\n…'}
          />
        </label>
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <div className="flex items-center gap-2">
          <button type="submit" disabled={busy} className="rounded-md bg-accent-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-700 disabled:opacity-60">
            {busy ? 'Importing…' : 'Import catalog'}
          </button>
          {yaml ? (
            <button
              type="button"
              onClick={() => {
                setYaml('');
                setReport(null);
                if (fileRef.current) fileRef.current.value = '';
              }}
              className="rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
      {report ? (
        <section aria-label="Import report" className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <h3 className="mb-3 text-sm font-semibold">Import report</h3>
          <CatalogReport report={report} />
        </section>
      ) : null}
    </div>
  );
}
