import { deflateRawSync } from 'node:zlib';

/**
 * A zip whose directory lies: each named entry really holds `realBytes` zeros (deflated, so a few
 * hundred kilobytes hold hundreds of megabytes), while the local header and the central directory
 * declare `declaredBytes` uncompressed — what a hostile upload does to get past a check that
 * trusts the declared sizes. `names` default to the parts of a workbook, so it sniffs as an .xlsx.
 */
export function lyingZip(
  realBytes: number,
  declaredBytes: number,
  names: readonly string[] = ['[Content_Types].xml', 'xl/worksheets/sheet1.xml'],
): Buffer {
  const data = deflateRawSync(Buffer.alloc(realBytes), { level: 9 });
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entryName of names) {
    const name = Buffer.from(entryName);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declaredBytes, 22); // the lie
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declaredBytes, 24); // the same lie
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
