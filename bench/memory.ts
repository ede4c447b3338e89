// Memory figures: this process's peak RSS (the API runs in-process) and Neo4j's JVM heap, read
// through the JMX procedure that Community edition exposes.
import type { Executor } from '../api/store/executor.js';

export function peakRssMb(): number {
  // maxRSS is in kilobytes: the high-water mark since the process started.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function neo4jHeapMb(ex: Executor): Promise<{ usedMb: number; committedMb: number; maxMb: number } | null> {
  try {
    const [row] = await ex.read<{ heap: { value: { properties: Record<string, number> } } }>(
      "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes RETURN attributes.HeapMemoryUsage AS heap");
    const heap = row.heap.value.properties;
    const mb = (x: number) => Math.round(Number(x) / 1048576);
    return { usedMb: mb(heap.used), committedMb: mb(heap.committed), maxMb: mb(heap.max) };
  } catch {
    return null;
  }
}
