/** Saves text as a file the user downloads: built in the page, nothing is sent anywhere. */
export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has its own copy by the time this runs.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
