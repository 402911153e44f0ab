"""mix stage: speech clips and the show's music → one mix, mastered to the show's loudness, encoded to a tagged MP3."""
