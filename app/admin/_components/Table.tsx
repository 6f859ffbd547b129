import s from '../admin.module.css';

export type Column = { label: string; numeric?: boolean };

/** The dashboard's tables: a labelled table that scrolls sideways inside its frame when narrow. */
export function Table({ label, columns, children }: { label: string; columns: Column[]; children: React.ReactNode }) {
  return (
    <div className={s.tableWrap}>
      <table className={s.table} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} className={c.numeric ? s.num : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
