/** What migration 012's search folding did, kept to compare its successor with (the spec and the benchmark). */
// 012_search.sql's search_fold, word for word: translate(lower(text), FROM, TO)
export const FROM = 'àáảãạăằắẳẵặâầấẩẫậäåāèéẻẽẹêềếểễệëēìíỉĩịîïīòóỏõọôồốổỗộơờớởỡợöōùúủũụưừứửữựûüūỳýỷỹỵÿçñđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄÅĀÈÉẺẼẸÊỀẾỂỄỆËĒÌÍỈĨỊÎÏĪÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÖŌÙÚỦŨỤƯỪỨỬỮỰÛÜŪỲÝỶỸỴŸÇÑĐ';
export const TO = 'aaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeiiiiiiiiooooooooooooooooooouuuuuuuuuuuuuuyyyyyycndaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeiiiiiiiiooooooooooooooooooouuuuuuuuuuuuuuyyyyyycnd';

/** A 2.5 KB Vietnamese body, as a story's. */
export const BODY = '<p>Bộ Ngoại giao cho biết đã chỉ đạo Đại sứ quán liên hệ với cơ quan chức năng sở tại. </p>'.repeat(28);
