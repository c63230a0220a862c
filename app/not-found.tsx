import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-bold text-slate-900">Page not found</h1>
      <p className="text-sm text-slate-600">There is no console page at this address.</p>
      <Link href="/applications" className="text-sm font-semibold text-blue-700 hover:underline">Go to Applications</Link>
    </main>
  );
}
