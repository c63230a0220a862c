import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/**
 * A small zip writer for `slipway push`, so pushing needs no `zip` program. Entries keep their
 * Unix modes (hook scripts stay executable) and symlinks stay links; names are UTF-8. No zip64:
 * a bundle past 4 GiB or 65535 entries should be a .tar.gz.
 */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MSDOS_DIRECTORY = 0x10;
const UTF8_NAMES = 0x0800;
const LIMIT = 0xffffffff;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

type Entry = { name: string; mode: number; mtime: Date; data: Buffer; isDir: boolean };

/** Every entry under `root`, parents before children, sorted so the same folder zips the same. */
function* walk(root: string, rel = ""): Generator<Entry> {
  const names = fs.readdirSync(path.join(root, rel)).sort();
  for (const name of names) {
    const relPath = rel ? `${rel}/${name}` : name;
    const full = path.join(root, relPath);
    const st = fs.lstatSync(full);
    const perm = st.mode & 0o7777;
    if (st.isDirectory()) {
      yield { name: `${relPath}/`, mode: S_IFDIR | perm, mtime: st.mtime, data: Buffer.alloc(0), isDir: true };
      yield* walk(root, relPath);
    } else if (st.isSymbolicLink()) {
      yield { name: relPath, mode: S_IFLNK | 0o777, mtime: st.mtime, data: Buffer.from(fs.readlinkSync(full), "utf8"), isDir: false };
    } else if (st.isFile()) {
      yield { name: relPath, mode: S_IFREG | perm, mtime: st.mtime, data: fs.readFileSync(full), isDir: false };
    }
    // Sockets, fifos and devices have no place in a revision: left out, as zip -r does.
  }
}

/** Zips the contents of `dir` (not the folder itself) into `outFile`; returns the entry count. */
export function zipDirectory(dir: string, outFile: string): number {
  const fd = fs.openSync(outFile, "w", 0o600);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const write = (b: Buffer) => {
    fs.writeSync(fd, b);
    offset += b.length;
  };
  try {
    for (const e of walk(dir)) {
      const name = Buffer.from(e.name, "utf8");
      const deflated = e.data.length ? zlib.deflateRawSync(e.data) : e.data;
      const method = deflated.length < e.data.length ? 8 : 0;
      const body = method === 8 ? deflated : e.data;
      if (e.data.length >= LIMIT || offset >= LIMIT) throw new Error("The bundle is over 4 GiB: push it as .tar.gz instead.");
      const crc = crc32(e.data);
      const { time, date } = dosDateTime(e.mtime);

      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(UTF8_NAMES, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(e.data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);

      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the external attributes hold the mode
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(UTF8_NAMES, 8);
      header.writeUInt16LE(method, 10);
      header.writeUInt16LE(time, 12);
      header.writeUInt16LE(date, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(body.length, 20);
      header.writeUInt32LE(e.data.length, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE((((e.mode & 0xffff) << 16) | (e.isDir ? MSDOS_DIRECTORY : 0)) >>> 0, 38);
      header.writeUInt32LE(offset, 42);
      central.push(header, name);

      write(local);
      write(name);
      write(body);
      if (++count > 0xffff) throw new Error("The bundle has over 65535 entries: push it as .tar.gz instead.");
    }
    const cdOffset = offset;
    const cd = Buffer.concat(central);
    write(cd);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(cdOffset, 16);
    write(end);
    return count;
  } finally {
    fs.closeSync(fd);
  }
}
