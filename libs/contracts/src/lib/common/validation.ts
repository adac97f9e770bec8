import { IsOptional, IsString, MaxLength, type ValidationArguments } from 'class-validator';

/** An optional text field of at most `maxLength` characters, refused in words naming the field. */
export function OptionalText(maxLength: number): PropertyDecorator {
  const decorators = [
    IsOptional(),
    IsString({ message: ({ property }: ValidationArguments) => `${property} must be text` }),
    MaxLength(maxLength, { message: ({ property }: ValidationArguments) => `${property} must be at most ${maxLength} characters` }),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}
