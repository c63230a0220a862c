"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export default function Home() {
  const router = useRouter();
  useEffect(() => router.replace("/applications"), [router]);
  return (
    <p className="p-8 text-sm text-slate-600">
      Opening the console… <Link href="/applications" className="text-blue-700 underline">Applications</Link>
    </p>
  );
}
