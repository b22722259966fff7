/** "竹辉新村11幢1单元301室": a household's address from its building, unit and room. */
export function householdAddress(building: string, unit: string | null, room: string): string {
  const u = unit ? (/^\d+$/.test(unit) ? `${unit}单元` : unit) : '';
  const r = /^\d+$/.test(room) ? `${room}室` : room;
  return `${building}${u}${r}`;
}
