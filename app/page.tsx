export default function Home() {
  return (
    <main style={{ padding: 24 }}>
      <h1>Flashgate</h1>
      <p>Flash sales.</p>
    </main>
  );
}
