export type UploadResult = { bucket: string; key: string; eTag: string; size: number };

/**
 * PUT a bundle into the server's bucket store with progress (fetch cannot report upload
 * progress, XMLHttpRequest can). Rejects with the server's { message } on a non-2xx answer.
 */
export function uploadBundle(bucket: string, key: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadResult> {
  const path = `/api/s3/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", path);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: fall through to the status text */ }
      const message = body && typeof body === "object" && "message" in body && typeof body.message === "string" ? body.message : null;
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === "object") resolve(body as UploadResult);
      else reject(new Error(message ?? `Upload failed (HTTP ${xhr.status} ${xhr.statusText}).`));
    };
    xhr.onerror = () => reject(new Error("Upload failed: the connection to the server was lost."));
    xhr.onabort = () => reject(new Error("Upload cancelled."));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}
