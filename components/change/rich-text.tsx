// Evidence sentences quote resources, keys and commands in `backticks`: show those as code.
export function RichText({ text, codeClassName = '' }: { text: string; codeClassName?: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className={`rounded bg-black/5 px-1 py-px [overflow-wrap:anywhere] font-mono text-[0.92em] dark:bg-white/10 ${codeClassName}`}>
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
