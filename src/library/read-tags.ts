/** Tags of one audio file through music-metadata (ID3v1/v2, Vorbis comments, MP4 atoms, APE, ...). */
import { parseFile } from "music-metadata";

export interface AudioTags {
  artist: string | null;
  title: string | null;
  album: string | null;
  durationMs: number | null;
  recordingMbid: string | null;
  artistMbid: string | null;
}

const text = (value: string | undefined | null) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Reads the tags (never cover art); throws when the file cannot be parsed. */
export async function readTags(file: string): Promise<AudioTags> {
  const { common, format } = await parseFile(file, { skipCovers: true });
  // The reader goes by the extension and returns nothing for a file that is not audio at all.
  if (!format.container && !format.codec && format.tagTypes.length === 0) throw new Error("not a recognised audio file");
  const duration = format.duration;
  return {
    artist: text(common.artist) ?? text(common.albumartist),
    title: text(common.title),
    album: text(common.album),
    durationMs: duration != null && Number.isFinite(duration) ? Math.round(duration * 1000) : null,
    recordingMbid: text(common.musicbrainz_recordingid)?.toLowerCase() ?? null,
    artistMbid: text(common.musicbrainz_artistid?.[0])?.toLowerCase() ?? null,
  };
}
