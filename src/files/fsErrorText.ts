/**
 * What a failed file-system call means, in words, with the errno code beside it ("read-only file system
 * (EROFS)"). The words come from the errno itself, never from a guess: a read-only disk is not reported as
 * a missing folder or a full one.
 */
const MEANINGS: Record<string, string> = {
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "is a folder",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many levels of symbolic links",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENXIO: "no such device (a socket or an absent device)",
  ETXTBSY: "file busy",
  EBUSY: "device or resource busy",
};

export function fsErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === "string") return MEANINGS[code] ? `${MEANINGS[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}

/** Whether an error is Node's file-system error (has an errno code and the call that failed). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === "string" && typeof e.syscall === "string";
}
