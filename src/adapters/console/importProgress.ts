// The console runs imports inline: a progress line on stderr says how far the works have come.

/** Rewrites one stderr line ("Importing works from OpenAlex: 40 of 120") and ends it when done. */
export function consoleImportProgress(out: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    if (done === last) return;
    last = done;
    const line = `Importing works from OpenAlex: ${done} of ${total}`;
    if (out.isTTY) out.write(`\r${line}${done >= total ? "\n" : ""}`);
    else if (done === 0 || done >= total) out.write(`${line}\n`);
  };
}
