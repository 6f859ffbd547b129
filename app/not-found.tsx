import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>There is no such page or sale. It may have been removed.</p>
      <p>
        <Link href="/">See the current sales</Link>
      </p>
    </main>
  );
}
