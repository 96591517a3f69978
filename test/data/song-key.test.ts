import { describe, expect, it } from "vitest";
import { songKey } from "../../src/data/song-key.js";

const same = (a: [string, string | null], b: [string, string | null]) => expect(songKey(...a)).toBe(songKey(...b));
const different = (a: [string, string | null], b: [string, string | null]) => expect(songKey(...a)).not.toBe(songKey(...b));

describe("songKey", () => {
  it("ignores case, accents, punctuation and spacing", () => {
    same(["Beyoncé", "Déjà Vu"], ["BEYONCE", "deja vu"]);
    same(["AC/DC", "Back In Black"], ["ac dc", "back  in black"]);
    same(["Guns N' Roses", "Sweet Child O' Mine"], ["Guns N Roses", "Sweet Child O Mine"]);
    same(["Sigur Rós", "Hoppípolla"], ["sigur ros", "hoppipolla"]);
  });

  it("reads & and + as 'and' and drops a leading 'The' of the artist", () => {
    same(["Simon & Garfunkel", "The Boxer"], ["Simon and Garfunkel", "The Boxer"]);
    same(["The Beatles", "Help!"], ["Beatles", "Help"]);
    // Only the artist loses "The": the title keeps it.
    different(["Beatles", "The End"], ["Beatles", "End"]);
    // "The The" is still an artist.
    expect(songKey("The The", null)).toBe("the");
  });

  it("drops featured artists in every spelling", () => {
    for (const title of ["Empire State of Mind (feat. Alicia Keys)", "Empire State of Mind [ft. Alicia Keys]", "Empire State of Mind featuring Alicia Keys", "Empire State Of Mind (Feat Alicia Keys)"]) {
      same(["Jay-Z", title], ["JAY Z", "Empire State of Mind"]);
    }
    same(["Jay-Z feat. Alicia Keys", "Empire State of Mind"], ["Jay-Z", "Empire State of Mind"]);
    same(["Daft Punk ft. Pharrell Williams", "Get Lucky"], ["Daft Punk", "Get Lucky"]);
    // Words that merely contain "ft" are not a featuring credit.
    same(["Left Boy", "Soft Landing"], ["left boy", "soft landing"]);
    different(["Left Boy", "x"], ["Le", "x"]);
  });

  it("drops version suffixes, dashed or bracketed", () => {
    const base = songKey("The Beatles", "Here Comes the Sun");
    for (const title of [
      "Here Comes The Sun - Remastered 2009",
      "Here Comes the Sun - 2019 Remaster",
      "Here Comes the Sun (Remastered)",
      "Here Comes the Sun (Live)",
      "Here Comes the Sun [Live at the Hollywood Bowl]",
      "Here Comes the Sun - Live / Remastered",
      "Here Comes the Sun (Demo) - Remastered 2019",
      "Here Comes the Sun (2019 Mix)",
      "Here Comes the Sun (Take 9)",
      "Here Comes the Sun - Mono Version",
      "Here Comes the Sun (Deluxe Edition)",
    ]) {
      expect(songKey("Beatles", title), title).toBe(base);
    }
    same(["Oasis", "Wonderwall - Radio Edit"], ["Oasis", "Wonderwall"]);
    same(["Nirvana", "About a Girl (MTV Unplugged)"], ["Nirvana", "About a Girl"]);
  });

  it("keeps what is part of the song's name", () => {
    different(["Oasis", "Live Forever"], ["Oasis", "Forever"]);
    different(["Queen", "Bohemian Rhapsody"], ["Queen", "Bohemian Rhapsody (Tiesto Remix)"]);
    different(["Artist", "Song (Part 2)"], ["Artist", "Song"]);
    different(["Artist", "Song - Reprise"], ["Artist", "Song"]);
    // A title that is only a version word stays a title.
    expect(songKey("Band", "(Live)")).not.toBe(songKey("Band", ""));
    different(["A", "x"], ["B", "x"]);
  });

  it("gives artist-level keys for a null title", () => {
    expect(songKey("The Beatles", null)).toBe("beatles");
    expect(songKey("The Beatles", null)).not.toBe(songKey("The Beatles", "Beatles"));
  });
});
