// A chart with its title, a one-line takeaway, and the same data as a table for screen
// readers and for print — people who would rather read than look still can.
export function ChartFrame({
  title,
  takeaway,
  children,
  table,
  className = '',
}: {
  title: string;
  takeaway?: React.ReactNode;
  children: React.ReactNode;
  table: { head: string[]; rows: (string | number)[][] };
  className?: string;
}) {
  return (
    <figure className={`rounded-lg border border-zinc-200 bg-white p-4 break-inside-avoid dark:border-zinc-800 dark:bg-zinc-900 ${className}`}>
      <figcaption className="mb-2">
        <div className="text-sm font-semibold">{title}</div>
        {takeaway ? <div className="text-xs text-zinc-500 dark:text-zinc-400">{takeaway}</div> : null}
      </figcaption>
      <div aria-hidden="true" className="text-zinc-500 dark:text-zinc-400">
        {children}
      </div>
      {/* A table ignores sr-only's 1px width: the wrapper clips it, so it cannot widen a phone screen. */}
      <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
