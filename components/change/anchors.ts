// Element ids in the diff, shared by the server-rendered risk panel and the client diff view.
export function fileAnchor(position: number): string {
  return `file-${position}`;
}

export function lineAnchor(position: number, line: number): string {
  return `L-${position}-${line}`;
}
